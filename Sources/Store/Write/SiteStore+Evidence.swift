import Foundation
import GRDB

/// Sources recorded with their evidence files (`graveatlas source add`, `source verify`).
extension SiteStore {
    /// Adds `source` and links it to each of `sites` (each once), in one transaction with an
    /// audit entry for the source and one for each link: nothing is written when a site is
    /// unknown or the source is invalid.
    ///
    /// ```swift
    /// try store.add(Source(type: .document, title: "Amnesty report", sha256: kept.sha256),
    ///               linkedTo: [khavaran])
    /// ```
    /// - Throws: `StoreError.noSuchRecord` naming the first unknown site; `.invalidRecord`.
    public func add(_ source: Source, linkedTo sites: [UUID]) throws {
        try source.validate()
        var seen = Set<UUID>()
        let sites = sites.filter { seen.insert($0).inserted }
        try write { db in
            for site in sites {
                if try Self.storedID(db, ofSite: site) == nil { throw StoreError.noSuchRecord(kind: "site", id: site.uuidString) }
            }
            try Self.insertSource(db, source)
            try Self.touch(db, table: "sources")
            for site in sites {
                try Self.insertLink(db, site: site, source: source.id)
            }
            if !sites.isEmpty { try Self.touch(db, table: "site_sources") }
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
