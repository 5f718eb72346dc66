import Foundation
import GRDB

/// The audit log: one chained entry per write (`AuditChain`), written in the write's own
/// transaction.
extension SiteStore {
    /// An audit record as the store reports it: an entry, or one row an entry lists with a
    /// detail of its own (an import's update of one site).
    public struct AuditEntry: Hashable, Sendable {
        public var at: String
        public var action: String
        public var entity: String
        public var entityID: String?
        public var detail: String?
        /// The entry's place in the chain.
        public var seq: Int64 = 0
        /// Who made it.
        public var by: String?
    }

    /// Every audit entry, oldest first, each followed by the rows it lists that carry a detail
    /// of their own; with `id`, the entries that name that record or list it (the listed
    /// row's action and detail, else the entry's).
    public func auditLog(for id: String? = nil) throws -> [AuditEntry] {
        try read { db in
            let rows: [Row]
            if let id {
                rows = try Row.fetchAll(db, sql: """
                    SELECT l.at, coalesce(i.action, l.action), coalesce(i.entity, l.entity), ?1, coalesce(i.detail, l.detail), l.seq, l."by"
                    FROM audit_log l LEFT JOIN audit_items i ON i.seq = l.seq AND i.entity_id = ?1
                    WHERE l.entity_id = ?1 OR i.id IS NOT NULL
                    ORDER BY l.seq, i.id
                    """, arguments: [id])
            } else {
                rows = try Row.fetchAll(db, sql: """
                    SELECT at, action, entity, entity_id, detail, seq, "by", 0 AS k, 0 AS item FROM audit_log
                    UNION ALL
                    SELECT l.at, i.action, i.entity, i.entity_id, i.detail, l.seq, l."by", 1, i.id
                    FROM audit_items i JOIN audit_log l ON l.seq = i.seq WHERE i.detail IS NOT NULL
                    ORDER BY 6, 8, 9
                    """)
            }
            return rows.map { row in
                AuditEntry(at: row[0] ?? "", action: row[1] ?? "", entity: row[2] ?? "", entityID: row[3], detail: row[4],
                           seq: row[5] ?? 0, by: row[6])
            }
        }
    }

    /// The hex hash of the last entry of the audit chain, nil for an empty chain: what an
    /// export's manifest names as `audit_head`, so that a later verify can tell whether the
    /// history it vouches for is still the store's.
    public func auditHead() throws -> String? {
        try read { db in try AuditChain.head(db)?.hash }
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
