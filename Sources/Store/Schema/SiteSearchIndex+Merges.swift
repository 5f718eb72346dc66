import GRDB

extension SiteSearchIndex {
    /// FTS5's automatic merging of index segments, paused while a large batch indexes its
    /// sites and set back as it was before the batch commits.
    ///
    /// ```swift
    /// let merges = try SiteSearchIndex.Merges(db, deferredFor: newSites)
    /// … INSERT INTO site_search … for the new sites …
    /// try merges.restore(db)
    /// ```
    /// FTS5 writes each lot of pending entries as a new segment and, with `automerge` at its
    /// default of 4, merges segments as they pile up: for 1M sites that took a third of the
    /// indexing (median of 6 rounds 1.87 s, against 1.27 s with merging off). Paused, the
    /// index ends with more segments (19 against 8 for 1M sites; FTS5's crisis merge still
    /// caps each level at 16), so a one-word search reads more of them (about 60 µs against
    /// 35 µs) until later writes, with the setting restored, merge them in their course.
    struct Merges {
        /// Batches indexing fewer sites leave merging on.
        static let minimumRows = 10_000
        /// FTS5's `automerge` when none is stored.
        static let defaultAutomerge = 4
        /// The setting to restore, or nil when merging was left on.
        private let previous: Int?

        init(_ db: Database, deferredFor rows: Int) throws {
            guard rows >= Self.minimumRows else { previous = nil; return }
            previous = try Int.fetchOne(db, sql: "SELECT v FROM site_search_config WHERE k = 'automerge'") ?? Self.defaultAutomerge
            try Self.setAutomerge(db, 0)
        }

        func restore(_ db: Database) throws {
            if let previous { try Self.setAutomerge(db, previous) }
        }

        private static func setAutomerge(_ db: Database, _ value: Int) throws {
            try db.execute(sql: "INSERT INTO site_search (site_search, rank) VALUES ('automerge', ?)", arguments: [value])
        }
    }
}
