import ArgumentParser
import Foundation
import Store

/// `graveatlas stats STORE`: what the store holds.
struct Stats: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Count what the store holds.")

    @OptionGroup var store: StoreOptions

    @Option(help: "Output: table or json.") var format: OutputFormat = .table

    func validate() throws {
        guard format == .table || format == .json else { throw ValidationError("stats prints --format table or json") }
    }

    func run() throws {
        let opened = try store.open()
        let s = try StoreFailure.run { try opened.statistics() }
        try StoreFailure.run { try opened.close() }
        if format == .json {
            var object: [String: Any] = [
                "sites": s.sites, "names": s.names, "events": s.events, "sources": s.sources,
                "audit_entries": s.auditEntries, "schema_version": s.schemaVersion, "languages": s.languages,
            ]
            for (field, counts) in s.byField { object[field] = counts }
            object["extent"] = s.extent ?? NSNull()
            QueryOutput.write(QueryOutput.json(object))
            return
        }
        var lines = [
            "store          \(store.store)", "schema         \(s.schemaVersion)", "sites          \(s.sites)",
            "names          \(s.names)", "events         \(s.events)", "sources        \(s.sources)",
            "audit entries  \(s.auditEntries)",
        ]
        if let e = s.extent { lines.append("extent         \(e.map { String($0) }.joined(separator: ", "))") }
        for field in ["site_type", "status", "condition", "sensitivity"] {
            let counts = (s.byField[field] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            lines.append("\(field.padding(toLength: 15, withPad: " ", startingAt: 0))\(counts.joined(separator: ", "))")
        }
        let languages = s.languages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        lines.append("languages      \(languages.joined(separator: ", "))")
        QueryOutput.write(lines.joined(separator: "\n") + "\n")
    }
}
