import Foundation
import GRDB

/// Sources recorded with their evidence files (`graveatlas source add`, `source verify`).
extension SiteStore {
    /// Adds `source` and links it to each of `sites` (each once), in one transaction with one
    /// audit entry listing the source and each site its link changed: nothing is written when a
    /// site is unknown or the source is invalid.
    ///
    /// ```swift
    /// try store.add(Source(type: .document, title: "Amnesty report", sha256: kept.sha256),
    ///               linkedTo: [khavaran], by: "researcher")
    /// ```
    /// - Parameter by: who the audit entry names (default: the user name, `Auditor.current`).
    /// - Throws: `StoreError.noSuchRecord` naming the first unknown site; `.invalidRecord`.
    public func add(_ source: Source, linkedTo sites: [UUID], by: String? = nil) throws {
        try source.validate()
        var seen = Set<UUID>()
        let sites = sites.filter { seen.insert($0).inserted }
        try write { db in
            var stored: [String] = []
            for site in sites {
                guard let id = try Self.storedID(db, ofSite: site) else {
                    throw StoreError.noSuchRecord(kind: "site", id: site.uuidString)
                }
                stored.append(id)
            }
            let change = AuditChange(db, action: "insert", by: by)
            try change.capture(.source, source.id.uuidString)
            // A link made without an event is content of its site (`AuditedKind`).
            for id in stored { try change.capture(.site, id, action: "update") }
            try Self.insertSourceRow(db, source)
            try Self.touch(db, table: "sources")
            for id in stored {
                try db.execute(sql: "INSERT INTO site_sources (site_id, source_id, event_id, note) VALUES (?, ?, NULL, NULL)",
                               arguments: [id, source.id.uuidString])
            }
            if !stored.isEmpty { try Self.touch(db, table: "site_sources") }
            try change.commit(entity: "source", id: source.id.uuidString, detail: nil, always: true)
        }
    }

    /// Every source that records an evidence file's SHA-256, in the order they were added.
    public func evidenceSources() throws -> [Source] {
        try read { db in
            let ids = try String.fetchAll(db, sql: "SELECT uuid FROM sources WHERE sha256 IS NOT NULL ORDER BY id")
            return try ids.compactMap(UUID.init(uuidString:)).compactMap { try Self.source(db, id: $0) }
        }
    }
}
