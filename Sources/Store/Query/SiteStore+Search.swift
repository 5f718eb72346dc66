import Foundation
import GRDB

/// Full-text search over every site's names (all languages) and description.
extension SiteStore {
    /// Sites whose names or description contain every word of `text`, best match first.
    ///
    /// ```swift
    /// try store.search("خاوران")      // finds «گورستان خاوران»
    /// try store.search("khavaran 1988", filter: filter)
    /// ```
    /// Words are matched whole, case- and diacritic-insensitively (FTS5 `unicode61`); a word
    /// ending in `*` matches as a prefix. Other FTS5 syntax is not interpreted: each word is
    /// quoted, so user text cannot break the query.
    public func search(_ text: String, limit: Int? = nil, filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        let query = Self.ftsQuery(text)
        guard !query.isEmpty else { return [] }
        return try read { db in
            let (filterSQL, filterArguments) = filter.sql
            var arguments: StatementArguments = [query]
            arguments += filterArguments
            let fids = try Int64.fetchAll(db, sql: """
                SELECT s.fid FROM site_search f JOIN sites s ON s.fid = f.rowid
                WHERE site_search MATCH ?\(filterSQL)
                ORDER BY f.rank, s.fid\(limit.map { " LIMIT \($0)" } ?? "")
                """, arguments: arguments)
            let sites = try Self.sites(db, fids: fids)
            return fids.compactMap { sites[$0].map { SiteMatch(site: $0) } }
        }
    }

    /// Each whitespace-separated word as an FTS5 string (a trailing `*` kept as a prefix query).
    static func ftsQuery(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).compactMap { word -> String? in
            let prefix = word.hasSuffix("*")
            let body = (prefix ? word.dropLast() : word).replacingOccurrences(of: "\"", with: "\"\"")
            guard !body.isEmpty else { return nil }
            return "\"\(body)\"" + (prefix ? "*" : "")
        }.joined(separator: " ")
    }
}
