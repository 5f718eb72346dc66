import Foundation
import GRDB

/// The audit log: one row per edit, written in the edit's own transaction.
extension SiteStore {
    /// Kinds of edit the log records.
    enum AuditAction: String { case insert, update, delete, batchInsert = "batch_insert", setting }

    static func audit(_ db: Database, _ action: AuditAction, entity: String, id: String?, detail: String? = nil) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (action, entity, entity_id, detail) VALUES (?, ?, ?, ?)",
            arguments: [action.rawValue, entity, id, detail])
    }

    /// An audit entry as the store reports it.
    public struct AuditEntry: Hashable, Sendable {
        public var at: String
        public var action: String
        public var entity: String
        public var entityID: String?
        public var detail: String?
    }

    /// Every audit entry, oldest first (optionally only for one record id).
    public func auditLog(for id: String? = nil) throws -> [AuditEntry] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT at, action, entity, entity_id, detail FROM audit_log WHERE ?1 IS NULL OR entity_id = ?1 ORDER BY id",
                arguments: [id]
            ).map { row in
                AuditEntry(at: row["at"] ?? "", action: row["action"] ?? "", entity: row["entity"] ?? "",
                           entityID: row["entity_id"], detail: row["detail"])
            }
        }
    }

    /// Widens the `sites` extent in `gpkg_contents` to take in `box` and marks the change.
    static func extendExtent(_ db: Database, _ box: (minX: Double, minY: Double, maxX: Double, maxY: Double)) throws {
        try db.execute(sql: """
            UPDATE gpkg_contents SET
              min_x = min(coalesce(min_x, ?1), ?1), min_y = min(coalesce(min_y, ?2), ?2),
              max_x = max(coalesce(max_x, ?3), ?3), max_y = max(coalesce(max_y, ?4), ?4),
              last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE table_name = 'sites'
            """, arguments: [box.minX, box.minY, box.maxX, box.maxY])
    }

    /// Recomputes the `sites` extent exactly from every geometry (after updates and deletes).
    /// - Complexity: O(n) sites.
    static func recomputeExtent(_ db: Database) throws {
        try db.execute(sql: """
            UPDATE gpkg_contents SET
              min_x = (SELECT min(ST_MinX(geom)) FROM sites), min_y = (SELECT min(ST_MinY(geom)) FROM sites),
              max_x = (SELECT max(ST_MaxX(geom)) FROM sites), max_y = (SELECT max(ST_MaxY(geom)) FROM sites),
              last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
            WHERE table_name = 'sites'
            """)
    }

    static func touch(_ db: Database, table: String) throws {
        try db.execute(
            sql: "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?",
            arguments: [table])
    }
}
