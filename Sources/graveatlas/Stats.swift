import ArgumentParser
import Foundation
import Geometry
import PostGIS
import Store

/// `graveatlas stats STORE`: what the store holds, per field, per dataset and per source file.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count what the store holds: sites per type, status, condition, sensitivity, dataset and source file.",
        discussion: "The counts are the store's own (every sensitivity): stats is for the team that holds the file.")

    /// The formats stats prints.
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json, csv
    }

    @OptionGroup var store: EngineStoreOptions

    @Option(help: "Output: table, json or csv (one row per count: group,value,count).")
    var format: Format = .table

    func run() throws {
        let s: StoreStatistics
        var named = store.store
        if PostgresURL.isPostgresURL(store.store) {
            let db = PostGISStore(url: try PostgresURL(store.store))
            s = try Blocking.wait {
                try await db.requireStore()
                return try await db.statistics()
            }
            named = db.url.description   // never the password
        } else {
            let opened = try store.open(.readOnly)
            s = try StoreFailure.run { try opened.statistics() }
            try StoreFailure.run { try opened.close() }
        }
        let text: String
        switch format {
        case .json: text = Self.json(s).encoded() + "\n"
        case .csv: text = Self.csv(s)
        case .table: text = Self.table(s, store: named)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static let fields = ["site_type", "status", "condition", "sensitivity"]

    /// Every count as `(group, value, count)`, in the order the table prints them.
    static func rows(_ s: StoreStatistics) -> [(group: String, value: String, count: Int)] {
        var out: [(String, String, Int)] = [
            ("sites", "", s.sites), ("names", "", s.names), ("events", "", s.events),
            ("sources", "", s.sources), ("audit_entries", "", s.auditEntries),
        ]
        for field in fields {
            out += (s.byField[field] ?? [:]).sorted { $0.key < $1.key }.map { (field, $0.key, $0.value) }
        }
        out += s.languages.sorted { $0.key < $1.key }.map { ("language", $0.key, $0.value) }
        out += s.datasets.sorted { $0.key < $1.key }.map { ("dataset", $0.key, $0.value) }
        out += s.sourceFiles.map { ("source_file", $0.file, $0.inserted) }
        return out
    }

    static func json(_ s: StoreStatistics) -> JSONValue {
        func counts(_ d: [String: Int]) -> JSONValue {
            .object(JSONObject(d.sorted { $0.key < $1.key }.map { .init($0.key, .number(Double($0.value))) }))
        }
        var o = JSONObject()
        o.append("sites", .number(Double(s.sites)))
        o.append("names", .number(Double(s.names)))
        o.append("events", .number(Double(s.events)))
        o.append("sources", .number(Double(s.sources)))
        o.append("audit_entries", .number(Double(s.auditEntries)))
        o.append("schema_version", .number(Double(s.schemaVersion)))
        for field in fields { o.append(field, counts(s.byField[field] ?? [:])) }
        o.append("languages", counts(s.languages))
        o.append("datasets", counts(s.datasets))
        o.append("source_files", .array(s.sourceFiles.map { f in
            .object([
                "file": .string(f.file), "imports": .number(Double(f.imports)), "inserted": .number(Double(f.inserted)),
                "updated": .number(Double(f.updated)), "unchanged": .number(Double(f.unchanged)),
                "last_imported": .string(f.lastImported),
            ])
        }))
        o.append("extent", s.extent.map { .array($0.map(JSONValue.number)) } ?? .null)
        return .object(o)
    }

    static func csv(_ s: StoreStatistics) -> String {
        // Fields quoted by the one CSV writer (RFC 4180).
        let cell = CSVText.field as (String) -> String
        return (["group,value,count"] + rows(s).map { "\(cell($0.group)),\(cell($0.value)),\($0.count)" })
            .joined(separator: "\r\n") + "\r\n"
    }

    static func table(_ s: StoreStatistics, store: String) -> String {
        func line(_ label: String, _ value: String) -> String {
            label.padding(toLength: 15, withPad: " ", startingAt: 0) + value
        }
        var lines = [
            line("store", store), line("schema", "\(s.schemaVersion)"), line("sites", "\(s.sites)"),
            line("names", "\(s.names)"), line("events", "\(s.events)"), line("sources", "\(s.sources)"),
            line("audit entries", "\(s.auditEntries)"),
        ]
        if let e = s.extent { lines.append(line("extent", e.map { String($0) }.joined(separator: ", "))) }
        for field in fields {
            let counts = (s.byField[field] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append(line(field, counts.joined(separator: ", ")))
        }
        let languages = s.languages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append(line("languages", languages.joined(separator: ", ")))
        lines.append("datasets")
        for (name, count) in s.datasets.sorted(by: { $0.key < $1.key }) {
            lines.append("  \(name.isEmpty ? "(none)" : name)  \(count)")
        }
        if !s.sourceFiles.isEmpty {
            lines.append("source files (imports; inserted, updated, unchanged; last imported)")
            for f in s.sourceFiles {
                lines.append("  \(f.file)  \(f.imports); \(f.inserted), \(f.updated), \(f.unchanged); \(f.lastImported)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
