import TestSupport
import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

@Suite struct SearchTests {
    @Test func findsPersianAndLatinNamesAndDescriptions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("search.gpkg"))
        var khavaran = try SiteFixtures.point(51.5485, 35.6, name: "Khavaran")
        khavaran.names = [SiteName(language: "fa", name: "گورستان خاوران")]
        khavaran.description = "Unmarked trenches; bulldozed in 2021."
        var ahvaz = try SiteFixtures.point(48.72, 31.30, name: "Ahvaz")
        ahvaz.names = [SiteName(language: "fa", name: "گور دسته‌جمعی اهواز"), SiteName(language: "es", name: "Fosa común de Ahváz")]
        try store.insert(khavaran)
        try store.insert(ahvaz)
        #expect(try store.search("خاوران").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("گورستان").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("bulldozed").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("ahvaz").map(\.site.name) == ["Ahvaz"])      // diacritics folded
        #expect(try store.search("fosa comun").map(\.site.name) == ["Ahvaz"])
        #expect(try store.search("اهواز").map(\.site.name) == ["Ahvaz"])
        #expect(try store.search("Khav*").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("\"unbalanced").isEmpty)
        // Names edited later are searchable too (the index follows the names table).
        var renamed = khavaran
        renamed.names = [SiteName(language: "fa", name: "لعنت‌آباد")]
        try store.update(renamed)
        #expect(try store.search("خاوران").isEmpty)
        #expect(try store.search("لعنت‌آباد").map(\.site.name) == ["Khavaran"])
        try store.deleteSite(id: khavaran.id)
        #expect(try store.search("Khavaran").isEmpty)
        try store.close()
    }

    /// The index is built from its own text table and must stay equal to it through every
    /// kind of edit: batches that set the unique indexes aside (and pause FTS5's merging)
    /// and batches that do not, sites with source attributes and without, single inserts,
    /// updates of names, descriptions and source attributes, deletes, a re-import that
    /// updates some sites and adds others, and rows written, re-linked, renumbered, re-keyed
    /// and given new source attributes by another tool. The oracle is an index built afresh
    /// from the stored sites, its text made by the test (the Swift folding as SQL functions,
    /// the attributes' string values through `json_each`): both must hold the same words at
    /// the same places of the same sites (FTS5's `fts5vocab` lists them), and every word's
    /// search equals a scan.
    @Test func theIndexStaysInStepWithEveryKindOfEdit() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("edits.gpkg")
        let store = try SiteStore.create(at: path)
        let words = ["Khavaran", "golzar", "BEHESHT", "Zahra", "Qom", "خاوران", "گلزار", "São", "Tabriz", "Ahvaz",
                     "Málaga", "کریم", "علي"]
        var rng = SplitMix64(seed: 41)
        func text() -> String {
            (0..<Int.random(in: 1...3, using: &rng)).map { _ in words.randomElement(using: &rng) ?? "" }.joined(separator: " ")
        }
        func attributes() -> String? {
            guard Int.random(in: 0..<3, using: &rng) > 0 else { return nil }
            let fields = ["LOCALIDAD_": text(), "PROVINCIA_": words.randomElement(using: &rng) ?? "", "NUM": "\(Int.random(in: 1...99, using: &rng))"]
            let object = fields.keys.sorted().compactMap { key -> String? in
                guard let value = fields[key], Bool.random(using: &rng) || key == "PROVINCIA_" else { return nil }
                return key == "NUM" ? "\"NUM\":\(value)" : "\"\(key)\":\"\(value)\""
            }
            // Now and then a value with escapes, which the batch leaves to SQLite.
            let note = Int.random(in: 0..<10, using: &rng) == 0 ? [#""NOTA":"dijo \"\#(text())\" \u00e1""#] : []
            return "{" + (object + note).joined(separator: ",") + "}"
        }
        var next = 0
        func site(_ i: Int) throws -> Site {
            var site = try SiteFixtures.point(Double.random(in: -180...180, using: &rng), Double.random(in: -90...90, using: &rng),
                                              name: text())
            if Bool.random(using: &rng) { site.description = text() }
            site.names = (0..<Int.random(in: 0...2, using: &rng)).map { _ in SiteName(language: "fa", name: text()) }
            site.sourceAttributes = attributes()
            site.dataset = "survey"
            site.sourceKey = String(next)
            next += 1
            return site
        }
        var sites = try (0..<12_000).map(site)
        try store.insertBatch(sites)                         // unique indexes set aside, merging paused
        let more = try (0..<200).map(site)
        try store.insertBatch(more)                          // kept
        sites += more
        let few = try (0..<5).map(site)
        try store.insertBatch(few)                           // fewer than a statement's 32 rows
        sites += few
        for i in 0..<30 {
            let single = try site(i)
            try store.insert(single)
            sites.append(single)
        }
        for i in sites.indices.shuffled(using: &rng).prefix(150) {
            sites[i].name = text()
            sites[i].description = Bool.random(using: &rng) ? text() : nil
            sites[i].names = Bool.random(using: &rng) ? [] : [SiteName(language: "en", name: text())]
            sites[i].sourceAttributes = attributes()
            try store.update(sites[i])
        }
        for site in sites.shuffled(using: &rng).prefix(60) { try store.deleteSite(id: site.id) }
        // A re-import: some records changed (found by dataset and source key), some new.
        var reimport = try sites.shuffled(using: &rng).prefix(100).map { stored -> Site in
            var changed = try site(0)
            changed.sourceKey = stored.sourceKey
            return changed
        }
        reimport += try (0..<50).map(site)
        _ = try store.importBatch(label: "re-import") { batch in
            for site in reimport { _ = try batch.upsert(site) }
        }
        try store.close()

        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, name, description, source_attributes, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, 'Qom Tabriz', 'written by another tool', '{"PROVINCIA_":"Ahvaz"}', 'cemetery', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try Point(x: 10, y: 20))))])
            let ids = try String.fetchAll(db, sql: "SELECT uuid FROM sites ORDER BY random() LIMIT 9")
            try db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, 'fa', 'گلزار Zahra', 'rtl')",
                           arguments: [ids[0]])
            try db.execute(sql: "UPDATE site_names SET site_id = ? WHERE id = (SELECT min(id) FROM site_names)", arguments: [ids[1]])
            try db.execute(sql: "UPDATE site_names SET name = 'Ahvaz' WHERE id = (SELECT max(id) FROM site_names)")
            try db.execute(sql: "DELETE FROM site_names WHERE id IN (SELECT id FROM site_names ORDER BY id LIMIT 5 OFFSET 10)")
            try db.execute(sql: "UPDATE sites SET uuid = '00000000-0000-4000-8000-000000000001' WHERE uuid = ?", arguments: [ids[2]])
            try db.execute(sql: "UPDATE sites SET fid = (SELECT max(fid) + 100 FROM sites) WHERE uuid = ?", arguments: [ids[3]])
            try db.execute(sql: "UPDATE sites SET name = 'São Khavaran', fid = (SELECT max(fid) + 7 FROM sites) WHERE uuid = ?",
                           arguments: [ids[4]])
            try db.execute(sql: "DELETE FROM sites WHERE uuid = ?", arguments: [ids[5]])
            try db.execute(sql: #"UPDATE sites SET source_attributes = '{"PROVINCIA_":"كريم","X":{"Y":"Golzar"}}' WHERE uuid = ?"#,
                           arguments: [ids[6]])
            try db.execute(sql: "UPDATE sites SET source_attributes = 'not JSON: Tabriz' WHERE uuid = ?", arguments: [ids[7]])
            try db.execute(sql: "UPDATE sites SET source_attributes = NULL WHERE uuid = ?", arguments: [ids[8]])
            try db.execute(sql: "INSERT INTO site_search (site_search) VALUES ('integrity-check')")
            // The oracle's text: the folding as Swift functions, the attribute values by json_each
            // (top level) and json_extract (the one nested value the edits above wrote).
            db.add(function: DatabaseFunction("oracle_fold", argumentCount: 1, pure: true) { values in
                SearchText.folded(String.fromDatabaseValue(values[0]) ?? "")
            })
            db.add(function: DatabaseFunction("oracle_is_word", argumentCount: 1, pure: true) { values in
                let value = String.fromDatabaseValue(values[0]) ?? ""
                return value.unicodeScalars.contains { !" +-.,/:\u{066B}\u{066C}".unicodeScalars.contains($0) && $0.properties.numericType != .decimal }
            })
            try db.execute(sql: """
                CREATE VIRTUAL TABLE temp.fresh USING fts5(names, description, attributes, content = '', tokenize = 'unicode61 remove_diacritics 2');
                INSERT INTO temp.fresh (rowid, names, description, attributes)
                  SELECT s.fid,
                         oracle_fold(s.name || ' ' || coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '')),
                         oracle_fold(coalesce(s.description, '')),
                         CASE WHEN NOT json_valid(coalesce(s.source_attributes, '')) THEN oracle_fold(coalesce(s.source_attributes, ''))
                              ELSE coalesce((SELECT group_concat(oracle_fold(v), ' ') FROM
                                               (SELECT CASE j.type WHEN 'object' THEN json_extract(j.value, '$.Y') ELSE j.value END AS v
                                                FROM json_each(s.source_attributes) j WHERE j.type IN ('text', 'object'))
                                             WHERE oracle_is_word(v)), '')
                         END
                  FROM sites s;
                CREATE VIRTUAL TABLE temp.built USING fts5vocab('main', 'site_search', 'instance');
                CREATE VIRTUAL TABLE temp.expected USING fts5vocab('temp', 'fresh', 'instance');
                """)
            let instances = try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.expected") ?? 0
            #expect(instances > 3_000)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.expected WHERE col = 'attributes'") ?? 0 > 1_000)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM temp.built") == instances)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM (SELECT * FROM temp.built EXCEPT SELECT * FROM temp.expected)") == 0)
        }
        // Every stored site's words (split at what is not a letter or digit), from the tables themselves.
        let stored = try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.fid, s.name || ' ' || coalesce(s.description, '') || ' ' ||
                       coalesce((SELECT group_concat(n.name, ' ') FROM site_names n WHERE n.site_id = s.uuid), '') || ' ' ||
                       CASE WHEN json_valid(coalesce(s.source_attributes, '')) THEN
                         coalesce((SELECT group_concat(value, ' ') FROM json_tree(s.source_attributes) WHERE type = 'text'), '')
                       ELSE coalesce(s.source_attributes, '') END AS text
                FROM sites s
                """).map { row in
                (fid: row["fid"] as Int64,
                 words: Set(SearchText.folded(row["text"] as String).lowercased()
                    .split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)))
            }
        }
        try queue.close()
        let reopened = try SiteStore(path: path)
        let fids = try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT uuid, fid FROM sites").reduce(into: [String: Int64]()) { $0[$1["uuid"]] = $1["fid"] }
        }
        for word in words {
            let expected = Set(stored.filter { $0.words.contains(SearchText.folded(word).lowercased()) }.map(\.fid))
            let found = Set(try reopened.search(word, audience: .everything).compactMap { fids[$0.site.id.uuidString] })
            #expect(found.symmetricDifference(expected).sorted() == [], "\(word)")
            #expect(!expected.isEmpty)
        }
        try reopened.close()
    }
}

@Suite struct AreaTests {
    /// Clustered random squares so many overlap; compared with every pair through GEOS.
    @Test func overlapsEqualsBruteForcePairwiseGEOS() throws {
        var rng = SplitMix64(seed: 3)
        var sites: [Site] = []
        for i in 0..<150 {
            let cx = [51.5, -179.95, 120.0][i % 3] + Double.random(in: -0.02...0.02, using: &rng)
            let cy = [35.6, 10.0, 78.0][i % 3] + Double.random(in: -0.02...0.02, using: &rng)
            sites.append(try SiteFixtures.square(max(-179.99, cx), cy, half: Double.random(in: 0.0005...0.006, using: &rng), name: "s\(i)"))
            if i % 5 == 0 { sites.append(try SiteFixtures.point(cx, cy)) }
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("overlaps.gpkg"))
        try store.insertBatch(sites)
        let got = try store.overlaps(minOverlap: 1)

        var expected: [String: Double] = [:]
        for i in sites.indices {
            for j in sites.indices where j > i {
                guard sites[i].geometry.isPolygonal, sites[j].geometry.isPolygonal else { continue }
                let overlap = try Geodesic.wgs84.area(of: sites[i].geometry.intersection(sites[j].geometry))
                if overlap > 1 { expected["\(sites[i].id) \(sites[j].id)"] = overlap }
            }
        }
        #expect(expected.count > 20, "the data should overlap often")
        #expect(got.count == expected.count)
        for o in got {
            let key = "\(o.a.id) \(o.b?.id.uuidString ?? "")"
            #expect(abs((expected[key] ?? -1) - o.overlapM2) < 1e-6 * max(1, o.overlapM2), "\(key)")
            #expect(o.shareA > 0 && o.shareA <= 1 + 1e-9 && o.shareB > 0 && o.shareB <= 1 + 1e-9)
        }
        #expect(zip(got, got.dropFirst()).allSatisfy { $0.overlapM2 >= $1.overlapM2 })
        try store.close()
    }

    /// Sites and areas drawn across the antimeridian give what the same sites and areas give
    /// 100° further west, where nothing wraps: the same sites within, the same pairs, the same
    /// overlaps in m² (the ellipsoid is the same all round the axis).
    @Test func acrossTheAntimeridianAsAwayFromIt() throws {
        /// A longitude carried into -180…180.
        func wrap(_ x: Double) -> Double { x > 180 ? x - 360 : (x < -180 ? x + 360 : x) }
        func square(_ cx: Double, _ cy: Double, _ half: Double, shift: Double, name: String) throws -> Site {
            let xs = [cx - half, cx + half].map { wrap($0 + shift) }
            let ring = [Position(x: xs[0], y: cy - half), Position(x: xs[1], y: cy - half), Position(x: xs[1], y: cy + half),
                        Position(x: xs[0], y: cy + half), Position(x: xs[0], y: cy - half)]
            var site = try SiteFixtures.point(0, 0, name: name)
            site.geometry = .polygon(Polygon(exterior: try LinearRing(ring)))
            return site
        }
        var rng = SplitMix64(seed: 17)
        var specs: [(x: Double, y: Double, half: Double, point: Bool)] = []
        for _ in 0..<80 {
            specs.append((180 + Double.random(in: -0.015...0.015, using: &rng), 64 + Double.random(in: -0.015...0.015, using: &rng),
                          Double.random(in: 0.002...0.01, using: &rng), Bool.random(using: &rng) && Bool.random(using: &rng)))
        }
        let zoneSpec = (x: 180.0, y: 64.0, half: 0.012)
        func results(shift: Double) throws -> (within: [String], pairs: [String: Double], hits: [String: Double], wraps: Int) {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let store = try SiteStore.create(at: dir.path("am.gpkg"))
            let sites = try specs.enumerated().map { i, s in
                s.point ? try SiteFixtures.point(wrap(s.x + shift), s.y, name: "\(i)")
                        : try square(s.x, s.y, s.half, shift: shift, name: "\(i)")
            }
            try store.insertBatch(sites)
            let zone = try square(zoneSpec.x, zoneSpec.y, zoneSpec.half, shift: shift, name: "zone").geometry
            let within = try store.within(zone).map(\.site.name).sorted()
            var pairs: [String: Double] = [:]
            for o in try store.overlaps(minOverlap: 1) {
                pairs[[o.a.name, o.b?.name ?? ""].sorted().joined(separator: "-")] = o.overlapM2
            }
            var hits: [String: Double] = [:]
            for o in try store.overlaps(with: zone) { hits[o.a.name] = o.overlapM2 }
            let wraps = sites.filter { ($0.geometry.boundingBox?.width ?? 0) > 180 }.count
            try store.close()
            return (within, pairs, hits, wraps)
        }
        let across = try results(shift: 0), away = try results(shift: -100)
        #expect(across.wraps > 10 && away.wraps == 0, "the first set wraps, its twin does not")
        #expect(across.within == away.within)
        #expect(across.within.count > 10)
        #expect(Set(across.pairs.keys) == Set(away.pairs.keys))
        #expect(across.pairs.count > 10)
        for (key, m2) in away.pairs { #expect(abs((across.pairs[key] ?? -1) - m2) < 1e-6 * max(1, m2), "\(key)") }
        #expect(Set(across.hits.keys) == Set(away.hits.keys))
        for (key, m2) in away.hits { #expect(abs((across.hits[key] ?? -1) - m2) < 1e-6 * max(1, m2), "\(key)") }
    }

    @Test func withinAndOverlapsWithAnArea() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("area.gpkg"))
        let inside = try SiteFixtures.point(51.55, 35.60, name: "inside")
        let edge = try SiteFixtures.point(51.56, 35.60, name: "on the edge")
        let outside = try SiteFixtures.point(51.60, 35.60, name: "outside")
        let half = try SiteFixtures.square(51.56, 35.60, half: 0.002, name: "half in")
        try store.insertBatch([inside, edge, outside, half])
        let zone = Geometry.polygon(try Polygon(rings: [[
            Position(x: 51.54, y: 35.59), Position(x: 51.56, y: 35.59), Position(x: 51.56, y: 35.61),
            Position(x: 51.54, y: 35.61), Position(x: 51.54, y: 35.59),
        ]]))
        #expect(try store.within(zone).map(\.site.name) == ["inside", "on the edge", "half in"])
        // Every site inside or touching the zone: the polygon with its overlap, the points
        // flagged, as `within` finds them (a 2 km zone once gave 2 graves there and none here).
        let hits = try store.overlaps(with: zone)
        #expect(hits.map(\.a.name) == ["half in", "inside", "on the edge"])
        #expect(hits.map(\.contact) == [.overlapping, .inside, .touching])
        #expect(hits.dropFirst().allSatisfy { $0.overlapM2 == 0 && $0.shareA == 0 && $0.shareB == 0 })
        #expect(abs((hits.first?.shareA ?? 0) - 0.5) < 0.01)
        #expect(Set(hits.map(\.a.id)) == Set(try store.within(zone).map(\.site.id)))
        try store.close()
    }
}
