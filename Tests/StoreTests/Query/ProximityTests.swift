import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

/// `near` and `nearest` against brute force over every site, on seeded random sites that
/// crowd the poles and the antimeridian.
@Suite struct ProximityTests {
    struct World {
        var store: SiteStore
        var sites: [Site]
        var dir: TemporaryDirectory
    }

    /// Points and small polygons: a third near the poles, a third across the antimeridian, the
    /// rest anywhere. A few polygons straddle ±180° (drawn with vertices on both sides).
    static func makeWorld(seed: UInt64, count: Int) throws -> World {
        var rng = SplitMix64(seed: seed)
        var sites: [Site] = []
        for i in 0..<count {
            let lon: Double, lat: Double
            switch i % 3 {
            case 0:
                lon = Double.random(in: -180...180, using: &rng)
                lat = (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 80...89.9, using: &rng)
            case 1:
                lon = Double.random(in: 0...1.5, using: &rng) * (Bool.random(using: &rng) ? 1 : -1) + (Bool.random(using: &rng) ? 178.5 : -178.5)
                lat = Double.random(in: -70...70, using: &rng)
            default:
                lon = Double.random(in: -180...180, using: &rng)
                lat = Double.random(in: -85...85, using: &rng)
            }
            let clampedLon = max(-180, min(180, lon))
            if i % 4 == 0 {
                let half = Double.random(in: 0.001...0.05, using: &rng)
                sites.append(try SiteFixtures.square(max(-179.9, min(179.9, clampedLon)), max(-89.9, min(89.9, lat)), half: min(half, 0.09), name: "poly \(i)"))
            } else {
                sites.append(try SiteFixtures.point(clampedLon, lat, name: "point \(i)"))
            }
        }
        // Polygons drawn across the antimeridian: vertices at +179.9x and -179.9x.
        for lat in [-30.0, 0, 45, 75] {
            let ring = [Position(x: 179.95, y: lat), Position(x: -179.95, y: lat), Position(x: -179.95, y: lat + 0.05),
                        Position(x: 179.95, y: lat + 0.05), Position(x: 179.95, y: lat)]
            sites.append(Site(geometry: .polygon(try Polygon(rings: [ring])), name: "across \(lat)", type: .cemetery,
                              status: .reported, sensitivity: .public))
        }
        let dir = try TemporaryDirectory()
        let store = try SiteStore.create(at: dir.path("proximity.gpkg"))
        try store.insertBatch(sites)
        return World(store: store, sites: sites, dir: dir)
    }

    /// Every site's distance, sorted as the store promises: distance, then store order.
    static func bruteForce(_ p: Position, _ sites: [Site]) -> [(Int, Double)] {
        sites.indices.map { ($0, Geodesic.wgs84.distance(from: p, to: sites[$0].geometry)) }
            .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
    }

    static func randomQuery(_ rng: inout SplitMix64) -> Position {
        switch Int.random(in: 0..<3, using: &rng) {
        case 0: Position(x: Double.random(in: -180...180, using: &rng), y: (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 84...90, using: &rng))
        case 1: Position(x: (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 179...180, using: &rng), y: Double.random(in: -75...75, using: &rng))
        default: Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -90...90, using: &rng))
        }
    }

    @Test func nearAndNearestEqualBruteForce() throws {
        let world = try Self.makeWorld(seed: 42, count: 240)
        defer { try? world.store.close(); world.dir.remove() }
        let index = Dictionary(uniqueKeysWithValues: world.sites.enumerated().map { ($1.id, $0) })
        var rng = SplitMix64(seed: 9)
        var nonEmpty = 0
        for q in 0..<1_000 {
            let p = Self.randomQuery(&rng)
            let truth = Self.bruteForce(p, world.sites)
            if q % 2 == 0 {
                let radius = [100.0, 5_000, 50_000, 300_000, 1_500_000][q / 2 % 5]
                let expected = truth.filter { $0.1 <= radius }
                let got = try world.store.near(p, radius: radius)
                if !expected.isEmpty { nonEmpty += 1 }
                #expect(got.map { index[$0.site.id] } == expected.map(\.0), "near \(p) r=\(radius)")
                for (g, e) in zip(got, expected) { #expect(abs((g.distanceM ?? -1) - e.1) < 0.001) }
            } else {
                let k = 1 + q % 10
                let got = try world.store.nearest(p, k: k)
                #expect(got.map { index[$0.site.id] } == truth.prefix(k).map(\.0), "nearest \(p) k=\(k)")
                for (g, e) in zip(got, truth.prefix(k)) { #expect(abs((g.distanceM ?? -1) - e.1) < 0.001) }
            }
        }
        #expect(nonEmpty > 100, "too few near queries found anything: the test would prove little")
    }

    /// Sites tens of degrees wide: their geodesic edges bulge poleward far beyond their boxes.
    /// Points just poleward of the boxes, in both hemispheres, get what brute force gets.
    @Test func wideSitesEqualBruteForceInTheBulgeOfTheirEdges() throws {
        var rng = SplitMix64(seed: 77)
        var sites: [Site] = []
        var queries: [Position] = []
        for i in 0..<16 {
            let span = Double.random(in: 10...150, using: &rng)
            let west = Double.random(in: -180...(180 - span), using: &rng)
            let north = i % 2 == 0
            let low = Double.random(in: i < 8 ? 2...45 : 45...75, using: &rng)
            let (south, top) = north ? (low, low + 1) : (-low - 1, -low)
            let ring = [Position(x: west, y: south), Position(x: west + span, y: south), Position(x: west + span, y: top),
                        Position(x: west, y: top), Position(x: west, y: south)]
            sites.append(Site(geometry: .polygon(try Polygon(rings: [ring])), name: "wide \(i)", type: .massGrave,
                              status: .reported, sensitivity: .public))
            // Around the top of the poleward edge's arc (on the sphere: tan φ = tan φ₀ / cos(Δλ/2)),
            // where the arc is farthest from the box.
            let end = north ? top : -south
            let vertex = atan(tan(end * .pi / 180) / cos(span / 2 * .pi / 180)) * 180 / .pi
            for _ in 0..<8 {
                let x = west + span * Double.random(in: 0.49...0.51, using: &rng)
                let y = min(89.9, vertex + Double.random(in: -0.15...0.3, using: &rng))
                queries.append(Position(x: x, y: north ? y : -y))
            }
        }
        for _ in 0..<60 {
            sites.append(try SiteFixtures.point(Double.random(in: -180...180, using: &rng), Double.random(in: -80...80, using: &rng)))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("wide.gpkg"))
        try store.insertBatch(sites)
        defer { try? store.close() }
        let index = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) })
        for p in queries {
            let truth = Self.bruteForce(p, sites)
            let radius = truth[0].1 * 1.001 + 1
            let expected = truth.filter { $0.1 <= radius }
            #expect(try store.near(p, radius: radius).map { index[$0.site.id] } == expected.map(\.0), "near \(p) r=\(radius)")
            #expect(try store.nearest(p, k: 3).map { index[$0.site.id] } == truth.prefix(3).map(\.0), "nearest \(p)")
        }
    }

    /// A site written by another tool with a lower-case uuid keeps its other names in results
    /// (they are found by the id as stored, not as `UUID` spells it).
    @Test func namesOfSitesWrittenElsewhereComeWithThem() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("names.gpkg"))
        try store.pool.write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, '6f1c2a4e-8d0b-4c57-9a7e-2f6b1d3c5e90', 'Khavaran', 'mass_grave', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try Point(x: 51.5, y: 35.6))))])
            try db.execute(sql: """
                INSERT INTO site_names (site_id, lang, name, direction)
                VALUES ('6f1c2a4e-8d0b-4c57-9a7e-2f6b1d3c5e90', 'fa', 'خاوران', 'rtl')
                """)
        }
        let found = try store.near(Position(x: 51.5, y: 35.6), radius: 10)
        #expect(found.map(\.site.name) == ["Khavaran"])
        #expect(found.first?.site.names.map(\.name) == ["خاوران"])
        #expect(try store.nearest(Position(x: 51.5, y: 35.6), k: 1).first?.site.names.map(\.language) == ["fa"])
        try store.close()
    }

    /// A read connection remembers the widest site span between calls, until another
    /// connection commits: a wide site added through a second handle on the same file is
    /// found by the next call of the first where only that span finds it (inside the
    /// poleward bulge of its geodesic edge, outside its box).
    @Test func whatAReadRemembersFollowsOtherWriters() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("memo.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insert(try SiteFixtures.point(100, 10))
        // North of the site added below: outside its box (latitude ≤ 51), about 25 km from
        // its northern edge, a geodesic that rises to about 55° at longitude 30.
        let query = Position(x: 30, y: 55.2)
        #expect(try store.near(query, radius: 100_000).isEmpty)

        let other = try SiteStore(path: path)
        let ring = [Position(x: 0, y: 50), Position(x: 60, y: 50), Position(x: 60, y: 51),
                    Position(x: 0, y: 51), Position(x: 0, y: 50)]
        try other.insert(Site(geometry: .polygon(try Polygon(rings: [ring])), name: "wide", type: .massGrave,
                              status: .reported, sensitivity: .public))
        try other.close()

        let nearest = try #require(try store.nearest(query, k: 1).first)
        let distance = try #require(nearest.distanceM)
        #expect(nearest.site.name == "wide" && distance < 50_000)
        #expect(try store.near(query, radius: distance + 10).map(\.site.name) == ["wide"])
        try store.close()
    }

    @Test func batchQueriesTagTheirPoints() throws {
        let world = try Self.makeWorld(seed: 5, count: 60)
        defer { try? world.store.close(); world.dir.remove() }
        let points = [Position(x: 0, y: 0), Position(x: 179.5, y: 10), Position(x: -20, y: 85)]
        let batch = try world.store.nearest(points: points, k: 2)
        #expect(batch.map(\.queryIndex) == [0, 0, 1, 1, 2, 2])
        for (i, p) in points.enumerated() {
            #expect(batch.filter { $0.queryIndex == i }.map(\.site.id) == (try world.store.nearest(p, k: 2)).map(\.site.id))
        }
    }

    @Test func filtersApplyToEveryQuery() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("f.gpkg"))
        var a = try SiteFixtures.point(51.40, 35.70, name: "a")
        a.condition = .destroyed
        a.date = try PartialDate(parsing: "1367-05", calendar: .solarHijri)
        a.period = "1988 prison massacres"
        var b = try SiteFixtures.point(51.41, 35.70, name: "b")
        b.condition = .intact
        b.date = try PartialDate(parsing: "2019")
        b.names = [SiteName(language: "fa", name: "گورستان خاوران")]
        try store.insertBatch([a, b])
        var destroyed = SiteFilter()
        destroyed.conditions = [.destroyed]
        #expect(try store.near(Position(x: 51.41, y: 35.70), radius: 5_000, filter: destroyed).map(\.site.name) == ["a"])
        #expect(try store.nearest(Position(x: 51.41, y: 35.70), k: 5, filter: destroyed).map(\.site.name) == ["a"])
        var since2017 = SiteFilter()
        since2017.dateFrom = "2017-01-01"
        #expect(try store.nearest(Position(x: 51.40, y: 35.70), k: 5, filter: since2017).map(\.site.name) == ["b"])
        var in1988 = SiteFilter()
        in1988.dateFrom = "1988-08-01"
        in1988.dateTo = "1988-08-01"
        in1988.period = "MASSACRES"
        #expect(try store.near(Position(x: 51.40, y: 35.70), radius: 5_000, filter: in1988).map(\.site.name) == ["a"])
        #expect(try store.search("خاوران", filter: destroyed).isEmpty)
        #expect(try store.search("خاوران").map(\.site.name) == ["b"])
        try store.close()
    }
}
