import Foundation
@testable import PostGIS
import Store
import TestSupport
import Testing

/// `search` in the database gives what the GeoPackage store gives on the same sites: the same
/// sites in the same order (tier, then FTS5's bm25 with its column weights, then store order)
/// and the same tiers, for each audience, with words in Persian, Arabic letter forms, Spanish
/// with and without accents, prefixes, phrases and filters. The database finds by the words
/// the GeoPackage's FTS5 tokenizer made; the order is checked against SQLite's own bm25.
@Suite struct PostGISSearchTests {
    static let queries = [
        "khavaran", "خاوران", "KHAVARAN cemetery", "گورستان خاوران", "pena", "peña", "fosa pedraja", "pedraj*",
        "site 1*", "cemetery 12", "linea", "لاین دو", "gurestan-e", "«quoted»", "خاوران 5*", "كريم", "k*", "bulldozed",
        "nombre", "n", "12", "1988", ",", "\"", "'", "Site", "pedrajako hobia", "la", "uno dos",
    ]

    @Test(arguments: [Audience.internal, .partner, .public])
    func searchGivesWhatTheGeoPackageGives(audience: Audience) async throws {
        let stores = try await PostGISProximityTests.stores()
        defer { stores.remove() }
        let view = AudienceView(audience: audience, grid: try stores.gpkg.grid())
        var ranked = 0
        for text in Self.queries {
            for limit in [nil, 3] as [Int?] {
                let file = try stores.gpkg.search(text, audience: view, limit: limit)
                let db = try await stores.postgis.search(text, audience: view, limit: limit)
                #expect(file.map(\.site.id) == db.map(\.site.id), "\(audience) '\(text)' limit \(limit ?? 0): the same sites in the same order")
                #expect(file.map(\.tier) == db.map(\.tier), "\(audience) '\(text)': the same tiers")
                #expect(file == db, "\(audience) '\(text)': the same sites read back")
                if limit == nil, Set(file.map(\.tier)).count < file.count { ranked += 1 }
            }
        }
        // Most queries find several sites in one tier: their order is bm25's, not chance.
        #expect(ranked >= 8, "\(ranked) queries ranked several sites")
        var filter = SiteFilter()
        filter.types = [.massGrave, .cemetery]
        let file = try stores.gpkg.search("khavaran", audience: view, filter: filter)
        let db = try await stores.postgis.search("khavaran", audience: view, filter: filter)
        #expect(file == db && (audience == .public || !file.isEmpty), "\(audience): a filtered search")
    }

    /// The words the database keeps are FTS5's: each site's words, put back together, are
    /// the tokens SQLite's own `fts5vocab` lists for it in the GeoPackage.
    @Test func theDatabaseKeepsTheWordsFTS5Made() async throws {
        let stores = try await PostGISProximityTests.stores()
        defer { stores.remove() }
        let vocabulary = try Subprocess.run(["sqlite3", "-readonly", stores.folder.appendingPathComponent("sites.gpkg").path,
            "CREATE VIRTUAL TABLE temp.v USING fts5vocab(main, site_search, instance);",
            "SELECT s.uuid, v.c, group_concat(v.term, ' ') FROM (SELECT doc, term, CASE col WHEN 'names' THEN 0 WHEN 'description' THEN 1 ELSE 2 END AS c "
                + "FROM temp.v ORDER BY doc, c, offset) v JOIN sites s ON s.fid = v.doc GROUP BY v.doc, v.c ORDER BY v.doc, v.c"])
        var fromSQLite: [String] = []
        for line in vocabulary.split(separator: "\n") { fromSQLite.append(String(line)) }
        var fromDatabase: [String] = []
        try await stores.postgis.forEachRow(of: [.searchEntries], { _, row in
            guard case .text(let id)? = row.first else { return }
            for (column, value) in row.dropFirst().enumerated() {
                guard case .text(let literal) = value, literal != "{}" else { continue }
                let words = literal.dropFirst().dropLast().split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
                fromDatabase.append("\(id)|\(column)|\(words.joined(separator: " "))")
            }
        }, ended: { _ in })
        #expect(fromSQLite.count > 500)
        let differing = zip(fromSQLite, fromDatabase).first { $0.0 != $0.1 }
        #expect(fromDatabase.count == fromSQLite.count && differing == nil,
                "\(fromDatabase.count) entries, SQLite \(fromSQLite.count); first differing: \(String(describing: differing))")
    }
}
