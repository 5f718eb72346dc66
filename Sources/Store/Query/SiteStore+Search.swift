import Foundation
import GRDB

/// Full-text search over every site's names (all languages), description and source
/// attributes, for an audience.
extension SiteStore {
    /// Sites the audience sees exactly whose names, description or (for partner and internal)
    /// source attributes contain every word of `text`: name matches first, then description
    /// matches, then source attribute matches (`SearchTier`); within a tier the most relevant
    /// first (FTS5's bm25 over the columns the audience may search, a word in the names
    /// weighing most), then in insertion order (`fid`).
    ///
    /// ```swift
    /// try store.search("خاوران", audience: AudienceView(audience: .public))   // «گورستان خاوران», tier .name
    /// try store.search("malaga", audience: .everything)    // "Málaga" in a name, then in a PROVINCIA_
    /// try store.search("كريم", audience: view)             // finds «کریم»: Arabic and Persian forms alike
    /// ```
    /// Words are matched whole, case- and diacritic-insensitively (FTS5 `unicode61`, and
    /// `SearchText`'s foldings: Arabic and Persian letter forms, Arabic diacritics, Eastern
    /// digits); a word ending in `*` matches as a prefix. Other FTS5 syntax is not interpreted:
    /// each word is quoted, so user text cannot break the query.
    ///
    /// What the audience may not see is never searched: a generalised site keeps only
    /// id/type/status/condition, and a withheld one does not exist for the audience, so
    /// neither is ever found (a match on a name the audience cannot see would reveal it); at
    /// public no site is found through its source attributes, and the sites returned carry
    /// none. `filter` applies on top (to sites shown exactly, so to fields the audience sees).
    /// - Returns: at most `limit` matches, best first.
    /// - Complexity: O(m log m) for m sites holding every word, plus the tokenizing of each
    ///   one's text for its relevance.
    public func search(_ text: String, audience view: AudienceView, limit: Int? = nil,
                       filter: SiteFilter = SiteFilter()) throws -> [SearchMatch] {
        let words = Self.ftsQuery(text)
        guard !words.isEmpty else { return [] }
        let tiers = view.searchTiers
        let shown = view.sensitivities(.exact)
        // A site's tier: the first whose columns, with those before it, hold every word (a
        // rowid list per tier, made once by SQLite for the `IN`); the last needs no test.
        var matches: [String] = []
        var tierCases: [String] = []
        for tier in tiers {
            let columns = tiers.prefix(through: tier.rank).map(\.column).joined(separator: " ")
            matches.append("{\(columns)} : (\(words))")
            if tier != tiers.last {
                tierCases.append("WHEN f.rowid IN (SELECT rowid FROM site_search WHERE site_search MATCH ?\(matches.count)) THEN \(tier.rank)")
            }
        }
        let last = tiers.last?.rank ?? 0
        let tierSQL = tierCases.isEmpty ? "\(last)" : "CASE \(tierCases.joined(separator: " ")) ELSE \(last) END"
        let weights = Self.relevanceWeights.prefix(SiteSearchIndex.columns.count).map { String($0) }.joined(separator: ", ")
        return try read { db in
            let (filterSQL, filterValues) = filter.sqlValues
            let values = matches.map(\.databaseValue) + shown.map(\.rawValue.databaseValue) + filterValues
            let sensitivitySQL = shown.map { _ in "?" }.joined(separator: ", ")
            let rows = try Row.fetchAll(db, sql: """
                SELECT f.rowid, \(tierSQL) AS tier FROM site_search f JOIN sites s ON s.fid = f.rowid
                WHERE f.site_search MATCH ?\(matches.count) AND s.sensitivity IN (\(sensitivitySQL))\(filterSQL)
                ORDER BY tier, bm25(f.site_search, \(weights)), s.fid\(limit.map { " LIMIT \(max(0, $0))" } ?? "")
                """, arguments: StatementArguments(values))
            let found = rows.map { (fid: $0[0] as Int64, tier: SearchTier.allCases[min(max(0, $0[1] as Int), last)]) }
            let sites = try Self.sites(db, fids: found.map(\.fid))
            return found.compactMap { hit in
                guard var site = sites[hit.fid] else { return nil }
                if !view.showsSourceAttributes { site.sourceAttributes = nil }
                return SearchMatch(site: site, tier: hit.tier)
            }
        }
    }

    /// `search(_:audience:limit:filter:)` for the team's own view (every site exact, source
    /// attributes included), as search was before it took an audience; for callers that have
    /// no audience yet.
    public func search(_ text: String, limit: Int? = nil, filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        try search(text, audience: .everything, limit: limit, filter: filter).map { SiteMatch(site: $0.site) }
    }

    /// bm25's weight of a word found in the names, the description and the source attributes.
    public static let relevanceWeights = [4.0, 2.0, 1.0]

    /// The words of `text` as `search` matches them: folded, split at white space, each word's
    /// tokens as the index's tokenizer makes them (a phrase), the last one a prefix when the
    /// word ends in `*`. A word without tokens (punctuation) is dropped, as FTS5 drops it.
    public static func searchPhrases(_ text: String, tokenizer: SearchTokens.Tokenizer) throws -> [SearchPhrase] {
        try SearchText.folded(text).split(whereSeparator: \.isWhitespace).compactMap { word -> SearchPhrase? in
            let prefix = word.hasSuffix("*")
            let body = String(prefix ? word.dropLast() : word)
            guard !body.isEmpty else { return nil }
            let tokens = try tokenizer.tokens(body)
            return tokens.isEmpty ? nil : SearchPhrase(tokens: tokens, prefix: prefix)
        }
    }

    /// Each whitespace-separated word as an FTS5 string (a trailing `*` kept as a prefix
    /// query), folded as the index is (`SearchText`).
    static func ftsQuery(_ text: String) -> String {
        SearchText.folded(text).split(whereSeparator: \.isWhitespace).compactMap { word -> String? in
            let prefix = word.hasSuffix("*")
            let body = (prefix ? word.dropLast() : word).replacingOccurrences(of: "\"", with: "\"\"")
            guard !body.isEmpty else { return nil }
            return "\"\(body)\"" + (prefix ? "*" : "")
        }.joined(separator: " ")
    }
}

/// One word of a search as the index matches it (`SiteStore.searchPhrases`): its tokens in a
/// row, the last one matching as a prefix when `prefix`.
public struct SearchPhrase: Hashable, Sendable {
    public var tokens: [String]
    public var prefix: Bool

    /// How many times the phrase occurs in `words` (tokens in order, as a column's).
    public func occurrences(in words: [String]) -> Int {
        guard !tokens.isEmpty, words.count >= tokens.count else { return 0 }
        var count = 0
        for start in 0...(words.count - tokens.count) {
            var all = true
            for (i, token) in tokens.enumerated() {
                let word = words[start + i]
                let last = i == tokens.count - 1
                if !(word == token || (last && prefix && word.utf8.starts(with: token.utf8))) { all = false; break }
            }
            if all { count += 1 }
        }
        return count
    }
}
