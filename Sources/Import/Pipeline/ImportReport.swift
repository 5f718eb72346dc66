import Foundation
import Geometry

/// What an import did: per file, how many records were read, imported, skipped, repaired
/// and re-encoded, and one entry for every record that was not imported as it stood.
///
/// ```swift
/// report.summary          // "fosas.shp: 120 read, 118 imported, 2 skipped, 1 repaired …"
/// try report.json()       // every skipped, repaired and re-encoded record, for --report
/// ```
public struct ImportReport: Codable, Hashable, Sendable {
    public struct FileSummary: Codable, Hashable, Sendable {
        public var file: String
        public var layer: String
        public var dataset: String
        public var crs: String?
        public var encoding: String?
        public var read = 0
        public var imported = 0
        public var skipped = 0
        public var repaired = 0
        public var reencoded = 0
        public var notes: [String] = []
    }

    public struct Entry: Codable, Hashable, Sendable {
        public var file: String
        public var record: Int
        /// `skipped`, `repaired`, `reencoded`, `remark`, `value_rejected` or `value_ambiguous`.
        public var kind: String
        public var detail: String
    }

    public var files: [FileSummary] = []
    public var entries: [Entry] = []
    /// Filled by the store: what happened to the imported sites.
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Filled by the store: the dated events the mapping's `events:` added or updated, and the
    /// sources they cited that the store did not hold (none of them when importing again).
    public var eventsAdded = 0
    public var eventsUpdated = 0
    public var sourcesAdded = 0
    public var dryRun = false
    /// Sites of this import near a site of another dataset with a similar name.
    public var duplicateCandidates: [String] = []
    /// What happened to each site's identity (see `ImportIdentity`).
    public var identity = ImportIdentity()

    public init() {}

    public var imported: Int { files.reduce(0) { $0 + $1.imported } }
    public var skipped: Int { files.reduce(0) { $0 + $1.skipped } }

    /// A few lines for stderr: one per file, the totals, then the count of remarks by kind
    /// and of possible duplicates, each with its first few examples (all are in `json()`).
    public var summary: String {
        var lines = files.map { f in
            var parts = ["\(f.read) read", "\(f.imported) imported"]
            if f.skipped > 0 { parts.append("\(f.skipped) skipped") }
            if f.repaired > 0 { parts.append("\(f.repaired) repaired") }
            if f.reencoded > 0 { parts.append("\(f.reencoded) re-encoded as windows-1252") }
            let layer = f.layer.isEmpty ? "" : " [\(f.layer)]"
            var line = "\(f.file)\(layer): " + parts.joined(separator: ", ")
            if let crs = f.crs { line += "; CRS \(crs)" }
            if let encoding = f.encoding { line += "; text \(encoding)" }
            return line + f.notes.map { "\n  note: \($0)" }.joined()
        }
        let verb = dryRun ? "would be" : "were"
        lines.append("\(imported) sites: \(inserted) \(verb) inserted, \(updated) updated, \(unchanged) unchanged"
            + (dryRun ? " (dry run: nothing written)" : ""))
        if eventsAdded + eventsUpdated + sourcesAdded > 0 {
            lines.append("\(eventsAdded) dated events \(verb) added, \(eventsUpdated) updated; \(sourcesAdded) sources added")
        }
        lines += remarkLines
        lines += duplicateLines
        lines += identitySummary
        return lines.joined(separator: "\n")
    }

    /// The whole report as pretty-printed JSON, keys sorted (written by Geometry's `JSONText`).
    public func json() throws -> String {
        try JSONValue(encoding: self).prettyEncoded()
    }
}
