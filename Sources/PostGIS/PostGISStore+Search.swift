import Foundation
import NIOCore
import PostgresNIO
import Store

/// `query search` in the database: the sites holding every word, found by the GIN index of
/// `site_search` (each site's words as the GeoPackage's FTS5 index made them), then tiered and
/// ranked as the GeoPackage store ranks them: the same tiers, FTS5's bm25 with the same column
/// weights over the same statistics (every site's words: their count, and how many sites hold
/// each searched word in the columns searched), ties in store order.
extension PostGISStore {
    /// What `SiteStore.search(_:audience:limit:filter:)` gives on the GeoPackage the database
    /// was copied from, in the same order.
    ///
    /// ```swift
    /// let found = try await store.search("خاوران", audience: AudienceView(audience: .public))
    /// ```
    /// - Throws: `PostGISError` when the database cannot be read.
    /// - Complexity: one index search for the words together and one for each word alone (how
    ///   many sites hold it, for its weight), plus a scan of `site_search` for the statistics.
    public func search(_ text: String, audience view: AudienceView, limit: Int? = nil,
                       filter: SiteFilter = SiteFilter()) async throws -> [SearchMatch] {
        let phrases = try SearchTokens.withTokenizer { try SiteStore.searchPhrases(text, tokenizer: $0) }
        guard !phrases.isEmpty else { return [] }
        let tiers = view.searchTiers
        let searched = (tiers.last?.rank ?? 0) + 1   // the index columns searched: names, description (, attributes)
        let shown = view.sensitivities(.exact)
        guard !shown.isEmpty else { return [] }
        return try await inTransaction(begin: Self.readSnapshot) { c in
            // FTS5's statistics: the rows of the index and their words, all columns.
            var rowCount: Int64 = 0
            var wordCount: Int64 = 0
            try await rows(c, """
                SELECT count(*), coalesce(sum(cardinality(names) + cardinality(description) + cardinality(attributes)), 0)::bigint
                FROM site_search
                """, what: "count the search words") { row in
                rowCount = try row[0].decode(Int64.self)
                wordCount = try row[1].decode(Int64.self)
            }
            guard rowCount > 0 else { return [] }
            // How many rows hold each phrase in the columns searched (bm25's IDF).
            var idf: [Double] = []
            let searchedColumns = ["names", "description", "attributes"].prefix(searched).map { "e." + $0 }
            for phrase in phrases {
                var binds = PostgresBindings()
                binds.append(Self.tsquery([phrase]))
                var hits: Int64 = 0
                if phrase.tokens.count == 1, let token = phrase.tokens.first {
                    // One word: counted in the database (a whole word, or a prefix of one).
                    binds.append(token)
                    let holds = phrase.prefix
                        ? "EXISTS (SELECT 1 FROM unnest(\(searchedColumns.joined(separator: " || "))) w WHERE left(w, char_length($2)) = $2)"
                        : searchedColumns.map { "$2 = ANY(\($0))" }.joined(separator: " OR ")
                    try await rows(c, """
                        SELECT count(*) FROM site_search e WHERE \(Self.matching(Self.tsquery([phrase]), placeholder: "$1")) AND (\(holds))
                        """, binds: binds, what: "count the sites holding a searched word") { hits = try $0[0].decode(Int64.self) }
                } else {
                    // A phrase: its words in a row, checked here.
                    try await rows(c, "SELECT names, description, attributes FROM site_search e WHERE \(Self.matching(Self.tsquery([phrase]), placeholder: "$1"))",
                                   binds: binds, what: "count the sites holding a searched phrase") { row in
                        let columns = [try row[0].decode([String].self), try row[1].decode([String].self), try row[2].decode([String].self)]
                        if columns.prefix(searched).contains(where: { phrase.occurrences(in: $0) > 0 }) { hits += 1 }
                    }
                }
                let value = log((Double(rowCount - hits) + 0.5) / (Double(hits) + 0.5))
                idf.append(value <= 0 ? 1e-6 : value)
            }
            let averageLength = Double(wordCount) / Double(rowCount)
            // The sites the audience sees exactly that hold every word.
            var binds = PostgresBindings()
            let query = Self.tsquery(phrases)
            binds.append(query)
            binds.append(shown.map(\.rawValue))
            let filtered = filter.postgresConditions(binding: &binds)
            var ranked: [(tier: Int, score: Double, fid: Int64)] = []
            try await rows(c, """
                SELECT s.fid, e.names, e.description, e.attributes FROM site_search e JOIN sites s ON s.uuid = e.site_id
                WHERE \(Self.matching(query, placeholder: "$1")) AND s.sensitivity = ANY($2)\(filtered)
                """, binds: binds, what: "search") { row in
                let columns = [try row[1].decode([String].self), try row[2].decode([String].self), try row[3].decode([String].self)]
                // The first tier whose columns, with those before it, hold every phrase.
                guard let tier = tiers.first(where: { tier in
                    phrases.allSatisfy { phrase in columns.prefix(tier.rank + 1).contains { phrase.occurrences(in: $0) > 0 } }
                }) else { return }
                ranked.append((tier.rank, Self.bm25(phrases, idf: idf, columns: columns, searched: searched,
                                                     averageLength: averageLength), try row[0].decode(Int64.self)))
            }
            ranked.sort { a, b in
                if a.tier != b.tier { return a.tier < b.tier }
                if a.score != b.score { return a.score < b.score }
                return a.fid < b.fid
            }
            if let limit { ranked = Array(ranked.prefix(max(0, limit))) }
            guard !ranked.isEmpty else { return [] }
            var fids = PostgresBindings()
            fids.append(ranked.map(\.fid))
            let found = try await sites(c, where: "s.fid = ANY($1)", binds: fids, what: "read the sites found")
            let byFid = Dictionary(found.map { ($0.fid, $0.site) }, uniquingKeysWith: { a, _ in a })
            return ranked.compactMap { hit in
                guard var site = byFid[hit.fid] else { return nil }
                if !view.showsSourceAttributes { site.sourceAttributes = nil }
                return SearchMatch(site: site, tier: SearchTier.allCases[min(hit.tier, SearchTier.allCases.count - 1)])
            }
        }
    }

    /// FTS5's `bm25()` of a row (its columns' words) for `phrases`, as SQLite computes it (k1
    /// 1.2, b 0.75, `SiteStore.relevanceWeights` by column; a phrase's instances counted in the
    /// first `searched` columns, the row's length over all of them): lower is more relevant.
    static func bm25(_ phrases: [SearchPhrase], idf: [Double], columns: [[String]], searched: Int,
                     averageLength: Double) -> Double {
        let k1 = 1.2, b = 0.75
        let length = Double(columns.reduce(0) { $0 + $1.count })
        var score = 0.0
        for (i, phrase) in phrases.enumerated() {
            var frequency = 0.0
            for (column, words) in columns.prefix(searched).enumerated() {
                let weight = column < SiteStore.relevanceWeights.count ? SiteStore.relevanceWeights[column] : 1.0
                for _ in 0..<phrase.occurrences(in: words) { frequency += weight }
            }
            score += idf[i] * ((frequency * (k1 + 1.0)) / (frequency + k1 * (1 - b + b * length / averageLength)))
        }
        return -1.0 * score
    }

    /// The phrases' tokens as a `tsquery` of lexemes taken as they are, all required (a
    /// phrase's last token as a prefix when the phrase is one): the index finds the rows that
    /// hold them all, the phrases are then checked in order.
    /// Words longer than the index holds (`PostGISSchema.searchWordBytes`) are left out; with
    /// none left, the condition holds for every row.
    static func tsquery(_ phrases: [SearchPhrase]) -> String {
        let terms = phrases.flatMap { phrase in
            phrase.tokens.enumerated().compactMap { i, token -> String? in
                guard token.utf8.count <= PostGISSchema.searchWordBytes else { return nil }
                return "'" + token.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
                    + (phrase.prefix && i == phrase.tokens.count - 1 ? ":*" : "")
            }
        }
        return terms.isEmpty ? "" : terms.joined(separator: " & ")
    }

    /// `words @@ $n::tsquery`, or true for an empty query (no word the index holds).
    static func matching(_ query: String, placeholder: String) -> String {
        query.isEmpty ? "\(placeholder)::text = ''" : "e.words @@ \(placeholder)::tsquery"
    }
}

/// The search words of a database whose schema predates them (version 1): `graveatlas upgrade
/// URL` reads the store into a GeoPackage, whose FTS5 index's text gives every site's words,
/// and writes them all.
extension PostGISStore {
    /// The schema version this build writes.
    public static var schemaVersionWritten: Int { PostGISSchema.version }

    /// Whether every site has its search words.
    public func searchIsComplete() async throws -> Bool {
        try await withConnection { c in
            var complete = false
            try await rows(c, """
                SELECT NOT EXISTS (SELECT 1 FROM sites s WHERE NOT EXISTS (SELECT 1 FROM site_search e WHERE e.site_id = s.uuid))
                """, what: "look for sites without search words") { complete = try $0[0].decode(Bool.self) }
            return complete
        }
    }

    /// Replaces every site's search words with those `path` gives (a GeoPackage made from this
    /// database by `StoreCopy.snapshot(of:into:)`), in one transaction, when nobody has written
    /// since `marks` were read.
    /// - Returns: the sites given words.
    /// - Throws: `PostGISError.conflict` when someone wrote meanwhile (nothing is written).
    public func replaceSearchEntries(from path: String, read marks: ReadMarks) async throws -> Int {
        try await inTransaction { c in
            try await run(c, "SELECT pg_advisory_xact_lock(\(Self.writeLock))", what: "wait for the other writers")
            let head = try await auditHead(c)
            guard head?.seq == marks.head?.seq, head?.hash == marks.head?.hash else {
                throw PostGISError.conflict(url: url.description, reason: "another writer wrote since the store was read for its search words")
            }
            let table = StoreTable.searchEntries
            try await run(c, "DELETE FROM site_search", what: "remove the search words")
            let aside = try await setIndexesAside(c, of: [table])
            let reader = try await RowReader(.geoPackage(path: path), tables: [table])
            defer { reader.close() }
            let rows = reader.rows(of: table)
            defer { rows.stop() }
            let count = try await copyRows(c, into: table.name, columns: table.columnNames, rows) { row, buffer in
                try CopyText.append(row, of: table, to: &buffer)
            }
            try await makeIndexesAgain(c, aside)
            try await notifyChange(c)
            return count
        }
    }
}
