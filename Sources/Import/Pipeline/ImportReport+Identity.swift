import Foundation
import Store

/// What a re-import did to the identity of the sites: which records were inserted,
/// updated (with what they replaced), left unchanged, and which sites the source no longer
/// holds.
///
/// ```swift
/// report.identity.sites.filter { $0.kind == "updated" }   // every update, with its changes
/// report.identity.missing                                 // 1: kept, reported, marked with --mark-missing
/// ```
/// Updates and missing sites are always listed; inserted and unchanged ones only in a dry
/// run (which lists everything that would happen). The console shows a bounded part of it,
/// `--report` all of it.
public struct ImportIdentity: Codable, Hashable, Sendable {
    /// One site, and what the import did (or would do) to it.
    public struct SiteLine: Codable, Hashable, Sendable {
        /// `inserted`, `updated`, `unchanged` or `missing`.
        public var kind: String
        public var site: String
        public var name: String
        public var dataset: String?
        public var key: String?
        /// The record it came from (for `missing`, the file it came from and no record).
        public var file: String?
        public var record: Int?
        /// What an update replaced.
        public var changes: [SiteFieldChange]?
    }

    public var sites: [SiteLine] = []
    /// Records without a key matched to a stored site by their content.
    public var matchedByContent = 0
    /// Sites of the re-imported sources that the source no longer holds (kept, never deleted).
    public var missing = 0
    /// Of those, how many this import marked (`--mark-missing`).
    public var marked = 0

    public init() {}
}

extension ImportReport {
    /// Kinds of report entry about a record's identity.
    public enum Kind {
        /// The record's key field is empty: stored without a key.
        public static let noKey = "no key"
        /// The record's key was another record's in this import: stored apart, without it.
        public static let repeatedKey = "repeated key"
    }

    /// The console lines about identity: records without a key or with a repeated one, the
    /// updates (with the fields they changed), and the sites missing from their source; at
    /// most ten of each.
    var identitySummary: [String] {
        var lines: [String] = []
        let limit = 10
        let verb = dryRun ? "would be" : "were"
        for kind in [Kind.noKey, Kind.repeatedKey] {
            let all = entries.filter { $0.kind == kind }
            for entry in all.prefix(limit) { lines.append("  \(entry.file): record \(entry.record): \(entry.detail)") }
            if all.count > limit { lines.append("  … \(all.count - limit) more records with \(kind) (see --report)") }
        }
        let kinds = dryRun ? ["inserted", "updated", "unchanged", "missing"] : ["updated", "missing"]
        for kind in kinds {
            let all = identity.sites.filter { $0.kind == kind }
            let label = kind == "missing" ? "missing from source" : "\(dryRun ? "would be " : "")\(kind)"
            for line in all.prefix(limit) {
                var text = "  \(label): '\(line.name)' (site \(line.site)"
                if let key = line.key { text += ", key \(key)" }
                text += ")"
                if let file = line.file { text += line.record.map { " from \(file) record \($0)" } ?? " of \(file)" }
                if let changes = line.changes, !changes.isEmpty { text += ": " + changes.map(\.field).joined(separator: ", ") }
                lines.append(text)
            }
            if all.count > limit { lines.append("  … \(all.count - limit) more \(label) (see --report)") }
        }
        if identity.missing > 0 {
            let marked = identity.marked > 0 ? "\(identity.marked) \(verb) marked missing_from_source"
                : "kept; --mark-missing marks them"
            lines.append("\(identity.missing) sites of the re-imported sources are no longer in them (\(marked))")
        }
        return lines
    }
}
