import Foundation
import GRDB

/// What a store holds, in counts.
public struct StoreStatistics: Hashable, Sendable {
    public var sites: Int
    public var names: Int
    public var events: Int
    public var sources: Int
    public var auditEntries: Int
    /// Sites per value of each enumeration (`site_type`, `status`, `condition`, `sensitivity`).
    public var byField: [String: [String: Int]]
    /// Sites with a name in each language tag.
    public var languages: [String: Int]
    /// [minX, minY, maxX, maxY] of all sites; nil when empty.
    public var extent: [Double]?
    public var schemaVersion: Int
}

extension SiteStore {
    /// Counts of everything in the store.
    public func statistics() throws -> StoreStatistics {
        try read { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            var byField: [String: [String: Int]] = [:]
            for field in ["site_type", "status", "condition", "sensitivity"] {
                let rows = try Row.fetchAll(db, sql: "SELECT \(field), count(*) FROM sites GROUP BY \(field)")
                byField[field] = Dictionary(uniqueKeysWithValues: rows.map { ($0[0] as String, $0[1] as Int) })
            }
            let languages = try Row.fetchAll(db, sql: "SELECT lang, count(DISTINCT site_id) FROM site_names GROUP BY lang")
            let extent = try Row.fetchOne(db, sql: "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = 'sites'")
            let box: [Double]? = extent.flatMap { row in
                let values = (0..<4).compactMap { row[$0] as Double? }
                return values.count == 4 ? values : nil
            }
            return StoreStatistics(
                sites: try count("sites"), names: try count("site_names"), events: try count("site_events"),
                sources: try count("sources"), auditEntries: try count("audit_log"), byField: byField,
                languages: Dictionary(uniqueKeysWithValues: languages.map { ($0[0] as String, $0[1] as Int) }),
                extent: box, schemaVersion: StoreSchema.version)
        }
    }
}
