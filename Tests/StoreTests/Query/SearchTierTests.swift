import Foundation
import GRDB
import Geometry
import Testing
import TestSupport
@testable import Store

/// Search over names, descriptions and source attributes, in tiers, for an audience.
@Suite struct SearchTierTests {
    /// A point site with Spanish-style source attributes.
    static func site(_ name: String, description: String? = nil, attributes: [String: Any]? = nil,
                     sensitivity: Sensitivity = .public, lon: Double = -4.42) throws -> Site {
        var site = try SiteFixtures.point(lon, 36.72, name: name)
        site.description = description
        site.sensitivity = sensitivity
        if let attributes {
            let data = try JSONSerialization.data(withJSONObject: attributes, options: [.sortedKeys])
            site.sourceAttributes = String(decoding: data, as: UTF8.self)
        }
        return site
    }

    static let everything = AudienceView.everything
    static let partner = AudienceView(audience: .partner)
    static let everyone = AudienceView(audience: .public)

    /// A province that only the source attributes hold is found through them, in the source
    /// tier, accents or not; field names and numbers are not indexed.
    @Test func aProvinceHeldOnlyInTheSourceAttributesIsFound() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("spain.gpkg"))
        let paterna = try Self.site("Fosa 112", attributes: [
            "LOCALIDAD_": "Paterna", "PROVINCIA_": "Valencia", "RAZON_TX": "Exhumada", "NUM_VICTI": 2238, "FECHA": "1939-04-03",
        ])
        let malaga = try Self.site("Fosa del cementerio de San Rafael", attributes: [
            "LOCALIDAD_": "Málaga", "PROVINCIA_": "Málaga", "NUM_VICTI": 4471, "CODIGO": "29067",
        ])
        try store.insertBatch([paterna, malaga])
        #expect(try store.search("valencia", audience: Self.everything).map(\.site.id) == [paterna.id])
        #expect(try store.search("Valencia", audience: Self.everything).map(\.tier) == [.source])
        #expect(try store.search("malaga", audience: Self.everything).map(\.site.id) == [malaga.id])
        #expect(try store.search("MÁLAGA", audience: Self.partner).map(\.site.id) == [malaga.id])
        #expect(try store.search("exhumada paterna", audience: Self.partner).map(\.site.id) == [paterna.id])
        // Words of the name and of the attributes together: found in the source tier.
        #expect(try store.search("fosa valencia", audience: Self.everything).map(\.tier) == [.source])
        // Values only: no field name, no number or date or digits-only code.
        for word in ["PROVINCIA_", "LOCALIDAD_", "2238", "4471", "1939", "29067"] {
            #expect(try store.search(word, audience: Self.everything).isEmpty, "\(word)")
        }
        // The sites themselves keep their attributes, for the audiences that see them.
        #expect(try store.search("valencia", audience: Self.everything).first?.site.sourceAttributes == paterna.sourceAttributes)
        try store.close()
    }

    /// Name matches first, then description matches, then source attribute matches; within a
    /// tier the most relevant first, then in insertion order.
    @Test func tiersRankNamesThenDescriptionsThenSourceAttributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("tiers.gpkg"))
        let inAttributes = try Self.site("Fosa 3", attributes: ["PROVINCIA_": "Málaga"])
        let inDescription = try Self.site("Fosa 2", description: "Cerca de Malaga")
        let inName = try Self.site("Fosa de Málaga")
        let inNameTwice = try Self.site("Málaga, Fosa de Málaga")
        let inAttributesToo = try Self.site("Fosa 4", attributes: ["LOCALIDAD_": "Ronda", "PROVINCIA_": "Málaga"])
        let nowhere = try Self.site("Fosa 5", attributes: ["PROVINCIA_": "Granada"])
        // Inserted in an order that is not the ranking.
        for site in [inAttributes, inDescription, inName, nowhere, inNameTwice, inAttributesToo] { try store.insert(site) }
        let found = try store.search("malaga", audience: Self.everything)
        #expect(found.map(\.tier) == [.name, .name, .description, .source, .source])
        #expect(found.map(\.site.id) == [inNameTwice.id, inName.id, inDescription.id, inAttributes.id, inAttributesToo.id])
        #expect(try store.search("malaga", audience: Self.everything, limit: 3).map(\.site.id) == [inNameTwice.id, inName.id, inDescription.id])
        // Words spread over names and description: the description tier.
        #expect(try store.search("fosa cerca", audience: Self.everything).map(\.tier) == [.description])
        // The tiers are ordered as declared.
        #expect(SearchTier.allCases.sorted() == [.name, .description, .source])
        // The compatible call searches everything and keeps the same order.
        #expect(try store.search("malaga").map(\.site.id) == found.map(\.site.id))
        try store.close()
    }

    /// A Persian user typing Persian or Arabic letter forms, with or without diacritics,
    /// tatweel, or Persian digits finds the same names; a zero-width non-joiner matches a space.
    @Test func persianAndArabicSpellingsFindTheSameSites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("fa.gpkg"))
        var persian = try Self.site("Site P", lon: 51.4)
        persian.names = [SiteName(language: "fa", name: "گورستان کریمی"), SiteName(language: "fa", name: "گور دسته‌جمعی")]
        persian.description = "تخریب در سال ۱۳۶۷"
        var arabic = try Self.site("Site A", lon: 48.7)
        arabic.names = [SiteName(language: "ar", name: "مقبرة علي أحمد")]
        arabic.sourceAttributes = #"{"MAHALLE":"كوي فاطمة","SAL":"١٣٦٧"}"#
        try store.insertBatch([persian, arabic])
        let cases: [(query: String, site: UUID)] = [
            ("كريمي", persian.id),            // Arabic kaf and yeh
            ("کریمی", persian.id),
            ("كَرِيمِي", persian.id),          // with harakat
            ("کریـمی", persian.id),           // with tatweel
            ("دسته جمعی", persian.id),        // space for the non-joiner
            ("دسته‌جمعی", persian.id),
            ("1367", persian.id),             // Persian digits in the description
            ("١٣٦٧", persian.id),
            ("علی", arabic.id),               // Persian yeh for Arabic yeh
            ("عَلِيّ", arabic.id),
            ("احمد", arabic.id),              // bare alef for alef with hamza
            ("مقبره", arabic.id),             // heh for teh marbuta
            ("کوی", arabic.id),               // in the source attributes
            ("فاطمه", arabic.id),
        ]
        for (query, id) in cases {
            #expect(try store.search(query, audience: Self.everything).map(\.site.id) == [id], "\(query)")
        }
        // Digits-only attribute values are not indexed, in any script.
        #expect(try store.search("1367", audience: Self.everything).map(\.tier) == [.description])
        try store.close()
    }

    /// Public sees public sites and never finds one through its source attributes; partner
    /// finds restricted sites too; internal everything. Generalised and withheld sites are
    /// never found, whatever word of theirs is typed.
    @Test func eachAudienceFindsOnlyWhatItSeesExactly() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("audience.gpkg"))
        var sites: [Sensitivity: Site] = [:]
        for sensitivity in Sensitivity.allCases {
            sites[sensitivity] = try Self.site("Khavaran \(sensitivity.rawValue)", description: "bulldozed",
                                               attributes: ["LOCALIDAD_": "Tehran"], sensitivity: sensitivity)
        }
        try store.insertBatch(Sensitivity.allCases.compactMap { sites[$0] })
        for audience in Audience.allCases {
            let view = AudienceView(audience: audience)
            let exact = Set(view.sensitivities(.exact).compactMap { sites[$0]?.id })
            for word in ["khavaran", "bulldozed", "tehran", "restricted", "confidential"] {
                let found = try store.search(word, audience: view)
                #expect(Set(found.map(\.site.id)).isSubset(of: exact), "\(audience) \(word)")
                if word == "tehran" && audience == .public { #expect(found.isEmpty) }
            }
            #expect(Set(try store.search("khavaran", audience: view).map(\.site.id)) == exact, "\(audience)")
            #expect(Set(try store.search("tehran", audience: view).map(\.site.id)) == (audience == .public ? [] : exact))
            // At public the sites come without their source attributes.
            let attributes = try store.search("bulldozed", audience: view).map(\.site.sourceAttributes)
            #expect(attributes.allSatisfy { ($0 == nil) == (audience == .public) }, "\(audience)")
        }
        let publicID = try #require(sites[.public]).id, restrictedID = try #require(sites[.restricted]).id
        #expect(try store.search("khavaran", audience: Self.everyone).map(\.site.id) == [publicID])
        #expect(Set(try store.search("khavaran", audience: Self.partner).map(\.site.id)) == [publicID, restrictedID])
        // A filter narrows what the audience sees and never widens it.
        var confidentialOnly = SiteFilter()
        confidentialOnly.sensitivities = [.confidential]
        #expect(try store.search("khavaran", audience: Self.partner, filter: confidentialOnly).isEmpty)
        #expect(try store.search("khavaran", audience: Self.everything, filter: confidentialOnly).count == 1)
        try store.close()
    }

    /// The Swift folding (batch text, query words) and the SQL one (triggers, migrations) give
    /// the same text for random strings over every folded character, Latin letters with
    /// accents, Persian letters, spaces and marks.
    @Test func swiftAndSQLFoldTheSame() throws {
        var rng = SplitMix64(seed: 12)
        let alphabet: [Unicode.Scalar] = SearchText.foldings.map(\.from)
            + Array("abcXYZ 09 áéñüç گخاورنیکهدسته\u{200C}\u{0301}".unicodeScalars)
        let texts = (0..<400).map { _ in
            String(String.UnicodeScalarView((0..<Int.random(in: 0...24, using: &rng)).map { _ in
                alphabet.randomElement(using: &rng) ?? "a"
            }))
        } + ["plain ascii", "", "Málaga"]
        let queue = try DatabaseQueue()
        let folded = try queue.write { db -> [String] in
            try db.execute(sql: "CREATE TABLE site_search_text (fid INTEGER PRIMARY KEY, names TEXT NOT NULL, description TEXT NOT NULL, attributes TEXT NOT NULL)")
            for (i, text) in texts.enumerated() {
                try db.execute(sql: "INSERT INTO site_search_text VALUES (?, ?, 'x', ?)", arguments: [i, text, text])
            }
            for sql in SearchText.foldStatements(columns: SiteSearchIndex.columns, where: "1") { try db.execute(sql: sql) }
            #expect(try String.fetchAll(db, sql: "SELECT names FROM site_search_text ORDER BY fid")
                    == String.fetchAll(db, sql: "SELECT attributes FROM site_search_text ORDER BY fid"))
            return try String.fetchAll(db, sql: "SELECT names FROM site_search_text ORDER BY fid")
        }
        #expect(folded == texts.map(SearchText.folded))
        #expect(SearchText.foldStatements(columns: ["names"], where: "1").count > 1, "folded in several passes")
        #expect(texts.map(SearchText.folded).allSatisfy { !$0.unicodeScalars.contains { s in SearchText.foldings.contains { $0.from == s } } })
    }

    /// The attributes text made in Swift (for plain JSON) equals the one SQLite makes from the
    /// same JSON with the triggers' SQL, for random JSON of every kind; JSON with escapes, or
    /// not JSON at all, is left to SQLite.
    @Test func attributesTextInSwiftEqualsSQL() throws {
        var rng = SplitMix64(seed: 5)
        let words = ["Málaga", "Paterna", "كريم", "۱۳۶۷", "1936", "12/03/1939", "-4.5", "", " ", "fosa común", "دسته\u{200C}جمعی", "٫٣"]
        func value(_ depth: Int) -> String {
            switch Int.random(in: 0..<(depth < 3 ? 8 : 5), using: &rng) {
            case 0, 1, 2: return "\"\(words.randomElement(using: &rng) ?? "")\""
            case 3: return ["12", "-0.5", "1e3", "0", "true", "false", "null"].randomElement(using: &rng) ?? "0"
            case 4: return "\"\(words.randomElement(using: &rng) ?? "") \(words.randomElement(using: &rng) ?? "")\""
            case 5, 6:
                let fields = (0..<Int.random(in: 0...4, using: &rng)).map { "\"K\($0)\" : \(value(depth + 1))" }
                return "{" + fields.joined(separator: ", ") + "}"
            default:
                return "[" + (0..<Int.random(in: 0...3, using: &rng)).map { _ in value(depth + 1) }.joined(separator: ",") + "]"
            }
        }
        var jsons = (0..<300).map { _ in value(0) }
        jsons += [#"{"A":"dijo \"hola\""}"#, #"{"A":"M\u00e1laga"}"#, "not JSON", "{\"A\":01}", "{\"A\":1,}", "", "\"Ronda\"", "[]"]
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE site_search_text (fid INTEGER PRIMARY KEY, names TEXT NOT NULL, description TEXT NOT NULL, attributes TEXT NOT NULL)")
            for (i, json) in jsons.enumerated() {
                try db.execute(sql: "INSERT INTO site_search_text VALUES (?, '', '', \(SearchText.attributesSQL("?2")))", arguments: [i, json])
            }
            for sql in SearchText.foldStatements(columns: ["attributes"], where: "1") { try db.execute(sql: sql) }
            let bySQL = try String.fetchAll(db, sql: "SELECT attributes FROM site_search_text ORDER BY fid")
            var inSwift = 0
            for (json, sql) in zip(jsons, bySQL) {
                guard let swift = SearchText.attributesText(json) else { continue }
                inSwift += 1
                #expect(swift == sql, "\(json)")
            }
            #expect(inSwift >= 300, "every plain JSON is made in Swift")
            for json in jsons.suffix(8).prefix(6) { #expect(SearchText.attributesText(json) == nil, "\(json)") }
            #expect(SearchText.attributesText("\"Ronda\"") == "Ronda")
            #expect(bySQL.suffix(8).first == "dijo \"hola\"")
            #expect(bySQL.contains { $0.contains("Malaga") || $0.contains("Málaga") })
        }
    }

    /// Sites added and edited through GDAL (as QGIS does) are found by their source attributes:
    /// the triggers, run by GDAL's SQLite, index them.
    @Test func sitesEditedThroughGDALAreFoundByTheirSourceAttributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("gdal.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insert(try Self.site("Fosa 1", attributes: ["PROVINCIA_": "Huelva"]))
        try store.close()
        let geojson = dir.path("added.geojson")
        try #"""
            {"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"Fosa 2","site_type":"mass_grave",
             "status":"reported","condition":"unknown","location_precision":"exact","sensitivity":"public",
             "source_attributes":"{\"LOCALIDAD_\":\"Aracena\",\"PROVINCIA_\":\"Huelva\"}"},
             "geometry":{"type":"Point","coordinates":[-6.56, 37.89]}}]}
            """#.write(toFile: geojson, atomically: true, encoding: .utf8)
        let added = try Oracle.run("ogr2ogr", ["-append", "-update", path, geojson, "-nln", "sites"])
        #expect(added.status == 0, "\(added.stderr)")
        let edited = try Oracle.run("ogrinfo", [path, "-sql", #"UPDATE sites SET source_attributes = '{"PROVINCIA_":"Sevilla"}' WHERE name = 'Fosa 1'"#])
        #expect(edited.status == 0, "\(edited.stderr)")

        let reopened = try SiteStore(path: path)
        #expect(try reopened.search("huelva", audience: Self.everything).map(\.site.name) == ["Fosa 2"])
        #expect(try reopened.search("aracena", audience: Self.partner).map(\.tier) == [.source])
        #expect(try reopened.search("sevilla", audience: Self.everything).map(\.site.name) == ["Fosa 1"])
        try reopened.close()
        #expect(try Oracle.validate(path) == "")
    }
}
