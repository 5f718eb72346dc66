import Foundation
import GRDB
import Geometry
import TestSupport
import Testing
@testable import Store

/// A batch sets the per-row index triggers aside and builds the R*Tree and the search index
/// at the end. SQLite's own R*Tree module, fed one row at a time by the GeoPackage triggers,
/// is the oracle: both ways must index exactly the same boxes.
@Suite struct BatchIndexTests {
    /// Points and small squares everywhere, the poles and the antimeridian included, with
    /// coordinates that are not exact floats (so the outward rounding is exercised).
    static func sites(_ count: Int, seed: UInt64) throws -> [Site] {
        var rng = SplitMix64(seed: seed)
        return try (0..<count).map { i in
            let lon = Double.random(in: -180...180, using: &rng)
            let lat = Double.random(in: -90...90, using: &rng)
            if i % 4 == 0 {
                let half = Double.random(in: 0.00001...0.01, using: &rng)
                return try SiteFixtures.square(min(179.99, max(-179.99, lon)), min(89.99, max(-89.99, lat)), half: half,
                                               name: "area \(i)")
            }
            return try SiteFixtures.point(lon, lat, name: "site \(i)")
        }
    }

    /// Every R*Tree row, in id order.
    static func rtree(_ path: String) throws -> [[Double]] {
        try DatabaseQueue(path: path).read { db in
            try Row.fetchAll(db, sql: "SELECT id, minx, maxx, miny, maxy FROM rtree_sites_geom ORDER BY id").map { row in
                (0..<5).map { row[$0] as Double }
            }
        }
    }

    static func rtreeCheck(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT rtreecheck('rtree_sites_geom')") ?? ""
        }
    }

    @Test func bulkLoadedIndexEqualsTheOneTheTriggersBuild() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try Self.sites(2_000, seed: 11)
        let small = try Self.sites(100, seed: 12)   // under a tenth of the store: indexed row by row
        let large = try Self.sites(2_500, seed: 13)  // more than a tenth: the whole index rebuilt
        var batched = try SiteStore.create(at: dir.path("batched.gpkg"))
        var single = try SiteStore.create(at: dir.path("single.gpkg"))
        for (step, sites) in [first, small, large].enumerated() {
            try batched.insertBatch(sites, label: "step \(step)")
            for site in sites { try single.insert(site) }
            try batched.close()
            try single.close()
            #expect(try Self.rtreeCheck(dir.path("batched.gpkg")) == "ok", "after step \(step)")
            let expected = try Self.rtree(dir.path("single.gpkg"))
            #expect(expected.count == [first, small, large].prefix(step + 1).map(\.count).reduce(0, +))
            #expect(try Self.rtree(dir.path("batched.gpkg")) == expected, "after step \(step)")
            batched = try SiteStore(path: dir.path("batched.gpkg"))
            single = try SiteStore(path: dir.path("single.gpkg"))
        }
    }

    @Test func editsAfterABulkLoadKeepTheIndexInStep() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("edited.gpkg")
        let store = try SiteStore.create(at: path)
        let sites = try Self.sites(2_000, seed: 21)
        try store.insertBatch(sites)
        var rng = SplitMix64(seed: 22)
        for site in sites.shuffled(using: &rng).prefix(300) {
            if Bool.random(using: &rng) {
                try store.deleteSite(id: site.id)
            } else {
                var moved = site
                moved.geometry = .point(try Point(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -90...90, using: &rng)))
                try store.update(moved)
            }
        }
        try store.insert(try SiteFixtures.point(51.5, 35.6, name: "added later"))
        try store.close()
        #expect(try Self.rtreeCheck(path) == "ok")
        #expect(try Oracle.validate(path) == "")
        // The index holds exactly the stored envelopes, as the triggers round them.
        let stored = try DatabaseQueue(path: path, configuration: SiteStore.configuration()).read { db in
            try Row.fetchAll(db, sql: "SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM sites ORDER BY fid")
                .map { row in [row[0] as Double, Double(RTreeBulkLoad.down(row[1])), Double(RTreeBulkLoad.up(row[2])),
                               Double(RTreeBulkLoad.down(row[3])), Double(RTreeBulkLoad.up(row[4]))] }
        }
        #expect(try Self.rtree(path) == stored)
    }

    /// Sites go in 32 to a statement: a repeated (dataset, source key) inside a full statement,
    /// or in the remainder after it, is reported for the site that repeats it, and the store
    /// keeps nothing of the batch. A batch of 1,000 sites or more into a smaller store sets
    /// the unique indexes aside and finds the repeat when it builds them again: the same site
    /// and the same reason.
    @Test(arguments: [(40, 20), (40, 37), (1_200, 20), (1_200, 1_190)])
    func aBrokenUniqueKeyNamesItsSite(size: Int, repeating index: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("unique.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insertBatch(try Self.sites(10, seed: 5))
        var sites = try Self.sites(size, seed: 6)
        for i in sites.indices {
            sites[i].dataset = "survey"
            sites[i].sourceKey = String(i)
        }
        sites[index].sourceKey = "3"
        do {
            try store.insertBatch(sites)
            Issue.record("a repeated source key was accepted")
        } catch let StoreError.invalidRecord(id, reason) {
            #expect(id == sites[index].id.uuidString)
            #expect(reason.contains("UNIQUE constraint failed: sites.dataset, sites.source_key"))
            #expect(reason.contains("source key '3' of dataset 'survey'"))
            #expect(!reason.contains("INSERT"))
        }
        // Nothing of the failed batch is stored or indexed, and the indexes are all there.
        #expect(try store.siteCount() == 10)
        #expect(try store.search("site").count + store.search("area").count == 10)
        try SiteStore.create(at: dir.path("new.gpkg")).close()
        #expect(try Self.indexNames(path) == Self.indexNames(dir.path("new.gpkg")))
        // A repeated id: named the same way.
        var repeated = sites
        repeated[index].sourceKey = String(index)
        repeated[index].id = repeated[3].id
        do {
            try store.insertBatch(repeated)
            Issue.record("a repeated id was accepted")
        } catch let StoreError.invalidRecord(id, reason) {
            #expect(id == sites[3].id.uuidString)
            #expect(reason.contains("UNIQUE constraint failed: sites.uuid"))
        }
        sites[index].sourceKey = String(index)
        #expect(try store.insertBatch(sites) == size)
        #expect(try store.siteCount() == 10 + size)
        #expect(try store.search("site").count + store.search("area").count == 10 + size)
        // The rules hold after the batch: the same key again is refused.
        #expect(throws: StoreError.self) { try store.insertBatch([sites[5]]) }
        try store.close()
        #expect(try Self.integrityCheck(path) == "ok")
    }

    /// A batch large enough to pause FTS5's merging (`SiteSearchIndex.Merges`) leaves the
    /// setting as it found it, stored or not, and its sites searchable.
    @Test func aLargeBatchLeavesTheMergeSettingAsItFoundIt() throws {
        for setting in [nil, 2] as [Int?] {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let path = dir.path("merges.gpkg")
            try SiteStore.create(at: path).close()
            if let setting {
                try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
                    try db.execute(sql: "INSERT INTO site_search (site_search, rank) VALUES ('automerge', ?)", arguments: [setting])
                }
            }
            let store = try SiteStore(path: path)
            let sites = try Self.sites(SiteSearchIndex.Merges.minimumRows + 500, seed: 34)
            try store.insertBatch(sites)
            #expect(try store.search("site").count + store.search("area").count == sites.count)
            #expect(try store.search(sites[9_999].name).map(\.site.id).contains(sites[9_999].id))
            try store.close()
            let stored = try DatabaseQueue(path: path).read { db in
                try Int.fetchOne(db, sql: "SELECT v FROM site_search_config WHERE k = 'automerge'")
            }
            #expect(stored ?? SiteSearchIndex.Merges.defaultAutomerge == setting ?? SiteSearchIndex.Merges.defaultAutomerge)
            try DatabaseQueue(path: path).write { db in
                try db.execute(sql: "INSERT INTO site_search (site_search) VALUES ('integrity-check')")
            }
        }
    }

    /// Every index of the store's tables, by name.
    static func indexNames(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name || ':' || coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' ORDER BY name")
        }
    }

    static func integrityCheck(_ path: String) throws -> String {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "\n")
        }
    }

    @Test func batchLeavesEveryTriggerAndNoDeferralBehind() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("triggers.gpkg")
        let store = try SiteStore.create(at: path)
        func schema() throws -> [String] {
            try DatabaseQueue(path: path).read { db in
                try String.fetchAll(db, sql: """
                    SELECT type || ' ' || name || ':' || coalesce(sql, '') FROM sqlite_schema
                    WHERE type IN ('trigger', 'index') ORDER BY name
                    """)
            }
        }
        let before = try schema()
        try store.insertBatch(try Self.sites(1_500, seed: 31))   // sets the unique indexes aside
        try store.insertBatch(try Self.sites(500, seed: 32))     // keeps them
        // Failing batches (a site repeats the first one's id) roll everything back.
        let site = try SiteFixtures.point(1, 2)
        #expect(throws: (any Error).self) { try store.insertBatch([site, site]) }
        #expect(throws: (any Error).self) { try store.insertBatch([site] + Self.sites(2_500, seed: 33) + [site]) }
        try store.close()
        let after = try schema()
        #expect(after == before)
        #expect(before.filter { $0.hasPrefix("trigger ") }.count == 14)
        #expect(before.contains { $0.hasPrefix("index sites_uuid:CREATE UNIQUE INDEX") })
        #expect(before.contains { $0.hasPrefix("index sites_dataset_source_key:CREATE UNIQUE INDEX") })
        #expect(try Self.integrityCheck(path) == "ok")
        let deferred = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM store_metadata WHERE key = 'search_deferred'")
        }
        #expect(deferred == 0)
        // Sites written by another tool afterwards are indexed and searchable by the triggers.
        try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, 'written by another tool', 'cemetery', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try Point(x: 10, y: 20))))])
        }
        let reopened = try SiteStore(path: path)
        #expect(try reopened.near(Position(x: 10, y: 20), radius: 1).map(\.site.name) == ["written by another tool"])
        #expect(try reopened.search("another").map(\.site.name) == ["written by another tool"])
        try reopened.close()
        #expect(try Self.rtreeCheck(path) == "ok")
    }

    @Test func hilbertIndexVisitsEveryCellOnce() {
        // Order 16 is too large to enumerate; the curve's construction is the same at every
        // order, so check the 256 x 256 corner (the first 65,536 steps stay inside it).
        var seen = Set<UInt64>()
        for x in UInt32(0)..<256 {
            for y in UInt32(0)..<256 {
                let d = RTreeBulkLoad.hilbert(x, y)
                #expect(d < 65_536)
                seen.insert(d)
            }
        }
        #expect(seen.count == 65_536)
        // Consecutive steps are neighbouring cells.
        var position: [UInt64: (UInt32, UInt32)] = [:]
        for x in UInt32(0)..<256 { for y in UInt32(0)..<256 { position[RTreeBulkLoad.hilbert(x, y)] = (x, y) } }
        for d in UInt64(1)..<65_536 {
            let (a, b) = (position[d - 1]!, position[d]!)  // every d is present (checked above)
            #expect(abs(Int(a.0) - Int(b.0)) + abs(Int(a.1) - Int(b.1)) == 1)
        }
    }

    @Test func outwardRoundingMatchesTheModule() throws {
        // SQLite's module stores what it is given; compare against its own rounding.
        var rng = SplitMix64(seed: 41)
        let values = (0..<2_000).map { _ in Double.random(in: -1e6...1e6, using: &rng) } + [0, -0.0, 1e-40, -1e-40, 179.99999999, -89.123456789]
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE r USING rtree(id, a, b)")
            for (i, v) in values.enumerated() {
                try db.execute(sql: "INSERT INTO r VALUES (?, ?, ?)", arguments: [i, v, v])
            }
            for (i, v) in values.enumerated() {
                let row = try Row.fetchOne(db, sql: "SELECT a, b FROM r WHERE id = ?", arguments: [i])
                #expect(row?[0] as Double? == Double(RTreeBulkLoad.down(v)), "\(v)")
                #expect(row?[1] as Double? == Double(RTreeBulkLoad.up(v)), "\(v)")
            }
        }
    }

    @Test func batchRowsEqualSingleInsertRows() throws {
        // Every column set (and every one left empty) the same way by both write paths.
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var full = try SiteFixtures.square(51.5485, 35.6, half: 0.001, name: "گورستان خاوران")
        full.condition = .builtOver
        full.locationPrecision = .representative
        full.uncertaintyM = 12.5
        full.victimsMin = 1_000
        full.victimsMax = 5_000
        full.victimsIdentified = 379
        full.period = "1988 prison massacres"
        full.date = try PartialDate(parsing: "1367-05", calendar: .solarHijri)
        full.sensitivity = .restricted
        full.description = "Bulldozed in 2009; an empty string follows"
        full.sourceAttributes = #"{"FID":7,"NOTE":""}"#
        full.dataset = "khavaran"
        full.sourceKey = ""
        full.names = [SiteName(language: "fa", name: "خاوران"), SiteName(language: "en", name: "Khavaran")]
        let bare = try SiteFixtures.point(-3.7, 40.4, name: "x")
        let rows = try [("batch", true), ("single", false)].map { label, batch -> [[String]] in
            let path = dir.path("\(label).gpkg")
            let store = try SiteStore.create(at: path)
            if batch { try store.insertBatch([full, bare]) } else { try store.insert(full); try store.insert(bare) }
            #expect(try store.search("خاوران").map(\.site) == [full])
            try store.close()
            return try DatabaseQueue(path: path).read { db in
                let columns = Site.columns.map { "quote(\($0))" }.joined(separator: ", ")
                return try Row.fetchAll(db, sql: "SELECT \(columns) FROM sites ORDER BY fid").map { row in
                    (0..<Site.columns.count).map { row[$0] as String }
                } + Row.fetchAll(db, sql: "SELECT site_id, lang, name, direction FROM site_names ORDER BY id").map { row in
                    (0..<4).map { row[$0] as String }
                }
            }
        }
        #expect(rows[0] == rows[1])
        #expect(rows[0].count == 4)
    }
}
