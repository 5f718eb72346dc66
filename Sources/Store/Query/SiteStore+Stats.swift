import Foundation
import Geometry
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
    /// Sites per dataset (`""` for sites that no import named).
    public var datasets: [String: Int] = [:]
    /// What each imported file brought, from the audit log, by file in order of first import.
    public var sourceFiles: [SourceFileCount] = []

    public init(sites: Int, names: Int, events: Int, sources: Int, auditEntries: Int, byField: [String: [String: Int]],
                languages: [String: Int], extent: [Double]?, schemaVersion: Int, datasets: [String: Int] = [:],
                sourceFiles: [SourceFileCount] = []) {
        self.sites = sites
        self.names = names
        self.events = events
        self.sources = sources
        self.auditEntries = auditEntries
        self.byField = byField
        self.languages = languages
        self.extent = extent
        self.schemaVersion = schemaVersion
        self.datasets = datasets
        self.sourceFiles = sourceFiles
    }
}

/// What the imports of one file did to the store, summed over every import of it.
public struct SourceFileCount: Hashable, Sendable {
    /// The file as the import named it.
    public var file: String
    public var imports: Int
    public var inserted: Int
    public var updated: Int
    public var unchanged: Int
    /// When it was last imported (ISO 8601).
    public var lastImported: String
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
            var datasets: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT coalesce(dataset, ''), count(*) FROM sites GROUP BY 1") {
                datasets[row[0] as String] = row[1] as Int
            }
            return StoreStatistics(
                sites: try count("sites"), names: try count("site_names"), events: try count("site_events"),
                sources: try count("sources"), auditEntries: try count("audit_log"), byField: byField,
                languages: Dictionary(uniqueKeysWithValues: languages.map { ($0[0] as String, $0[1] as Int) }),
                extent: box, schemaVersion: StoreSchema.version, datasets: datasets,
                sourceFiles: try Self.sourceFileCounts(db))
        }
    }
}

extension SiteStore {
    /// Every file imported, with what its imports inserted, updated and left unchanged, read
    /// from the audit log's import entries (`import`, and `batch_insert` before schema version 8,
    /// with a label; batches written by
    /// other means carry no file and are left out).
    /// - Complexity: O(a) in the audit log's import entries.
    static func sourceFileCounts(_ db: Database) throws -> [SourceFileCount] {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT at, detail FROM audit_log WHERE action IN ('import', 'batch_insert') ORDER BY id
            """)
        var entries: [(at: String, detail: String?)] = []
        while let row = try rows.next() {
            entries.append((String.fromDatabaseValue(row[0]) ?? "", String.fromDatabaseValue(row[1])))
        }
        return sourceFileCounts(importEntries: entries)
    }

    /// What each file brought, summed from import entries in log order (their time and JSON
    /// detail), as every engine reads them: an entry counts when its detail is a JSON object
    /// with `inserted` (not null) and a `label` naming the file; a count written as text counts
    /// as its number, anything else as 0.
    public static func sourceFileCounts(importEntries: [(at: String, detail: String?)]) -> [SourceFileCount] {
        var order: [String] = []
        var byFile: [String: SourceFileCount] = [:]
        func number(_ value: JSONValue?) -> Int {
            switch value {
            case .number(let n)?: return Int(exactly: n.rounded(.towardZero)) ?? 0
            case .string(let s)?: return Int(s) ?? 0
            default: return 0
            }
        }
        for entry in importEntries {
            guard let text = entry.detail, let detail = try? JSONValue(parsing: text),
                  let inserted = detail["inserted"], inserted != .null,
                  let file = detail["label"]?.stringValue, !file.isEmpty else { continue }
            var counted = byFile[file] ?? SourceFileCount(
                file: file, imports: 0, inserted: 0, updated: 0, unchanged: 0, lastImported: entry.at)
            if byFile[file] == nil { order.append(file) }
            counted.imports += 1
            counted.inserted += number(inserted)
            counted.updated += number(detail["updated"])
            counted.unchanged += number(detail["unchanged"])
            counted.lastImported = entry.at
            byFile[file] = counted
        }
        return order.compactMap { byFile[$0] }
    }
}
