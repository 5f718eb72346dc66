import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

/// The best-first walk against brute force (`ProximityOracle`) where it is hardest: crowded
/// cemeteries (thousands of graves within 300 m, small polygons, graves on the same
/// coordinates), high latitudes, the antimeridian, with filters; and the cut's summary.
@Suite struct NearestWalkTests {
    struct World {
        var store: SiteStore
        var sites: [Site]
        var dir: TemporaryDirectory
        var index: [UUID: Int]
    }

    /// Cemetery centres: Tehran, across the antimeridian (north and south), near the north
    /// pole, high Arctic, near the south pole.
    static let cemeteries = [Position(x: 51.5, y: 35.6), Position(x: 179.999, y: 64), Position(x: -179.998, y: -45),
                             Position(x: 10, y: 89.5), Position(x: 120, y: 75), Position(x: -70, y: -85)]

    /// `metres` east and north of `p` (small offsets), wrapped into −180…180.
    static func offset(_ p: Position, east: Double, north: Double) -> Position {
        let y = max(-89.999_9, min(89.999_9, p.y + north / 111_320))
        var x = p.x + east / (111_320 * cos(y * .pi / 180))
        if x > 180 { x -= 360 } else if x < -180 { x += 360 }
        return Position(x: x, y: y)
    }

    static func makeWorld(graves: Int = 1_500) throws -> World {
        var rng = SplitMix64(seed: 88)
        var sites: [Site] = []
        func tag(_ site: inout Site) {
            site.condition = [.destroyed, .intact, .builtOver][Int.random(in: 0..<3, using: &rng)]
            if Bool.random(using: &rng) { site.period = "1988 prison massacres" }
        }
        for (c, centre) in cemeteries.enumerated() {
            for g in 0..<graves {
                let r = 300 * Double.random(in: 0...1, using: &rng).squareRoot(), a = Double.random(in: 0..<(2 * .pi), using: &rng)
                let p = offset(centre, east: r * cos(a), north: r * sin(a))
                var site = try SiteFixtures.point(p.x, p.y, name: "grave \(c)-\(g)")
                tag(&site)
                sites.append(site)
            }
            for s in 0..<30 {
                let p = offset(centre, east: Double.random(in: -250...250, using: &rng), north: Double.random(in: -250...250, using: &rng))
                let half = Double.random(in: 5...30, using: &rng) / 111_320
                guard abs(p.x) + half / cos(p.y * .pi / 180) < 180 else { continue }
                var site = try SiteFixtures.square(p.x, p.y, half: half, name: "section \(c)-\(s)")
                tag(&site)
                sites.append(site)
            }
            // Nine graves on the same coordinates, 107 m east of the centre.
            let same = offset(centre, east: 107.37, north: 0)
            for t in 0..<9 {
                var site = try SiteFixtures.point(same.x, same.y, name: "tied \(c)-\(t)")
                tag(&site)
                sites.append(site)
            }
        }
        for i in 0..<600 {
            let lat = (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 70...89.9, using: &rng)
            var site = try SiteFixtures.point(Double.random(in: -180...180, using: &rng), lat, name: "polar \(i)")
            tag(&site)
            sites.append(site)
        }
        let dir = try TemporaryDirectory()
        let store = try SiteStore.create(at: dir.path("walk.gpkg"))
        try store.insertBatch(sites)
        return World(store: store, sites: sites, dir: dir, index: Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) }))
    }

    static func query(_ rng: inout SplitMix64) -> Position {
        let centre = cemeteries[Int.random(in: 0..<cemeteries.count, using: &rng)]
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return offset(centre, east: Double.random(in: -200...200, using: &rng), north: Double.random(in: -200...200, using: &rng))
        case 1: return offset(centre, east: Double.random(in: -5_000...5_000, using: &rng), north: Double.random(in: -5_000...5_000, using: &rng))
        case 2: return offset(centre, east: 107.37, north: Double.random(in: -30...30, using: &rng))
        case 3: return Position(x: Double.random(in: -180...180, using: &rng), y: (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 70...90, using: &rng))
        default: return Position(x: (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 179.9...180, using: &rng), y: Double.random(in: -89...89, using: &rng))
        }
    }

    static let filters: [SiteFilter] = {
        var destroyed = SiteFilter()
        destroyed.conditions = [.destroyed, .builtOver]
        var massacres = SiteFilter()
        massacres.period = "MASSACRES"
        return [SiteFilter(), destroyed, massacres]
    }()

    @Test func nearestEqualsBruteForceInClustersAtThePolesAndAcrossTheAntimeridian() throws {
        let world = try Self.makeWorld()
        defer { try? world.store.close(); world.dir.remove() }
        var rng = SplitMix64(seed: 1)
        let view = AudienceView.everything
        let visible = Self.filters.map { ProximityOracle.visible(world.sites, view: view, filter: $0) }
        var ties = 0
        for q in 0..<240 {
            let p = Self.query(&rng), f = q % Self.filters.count
            let k = [1, 3, 10, 25, 100][q % 5]
            let expected = ProximityOracle.nearest(p, k: k, visible[f])
            var got: [SiteMatch] = []
            let summary = try world.store.nearest(points: [p], k: k, filter: Self.filters[f], audience: view) { got.append($0) }
            #expect(ProximityOracle.same(got, expected, world.index), "nearest \(p) k=\(k) filter \(f): \(got.count) vs \(expected.count)")
            #expect(summary.first?.returned == expected.count)
            #expect(summary.first?.tie?.beyondLimit ?? 0 == max(0, expected.count - k))
            if expected.count > k { ties += 1 }
        }
        #expect(ties > 5, "the queries met too few ties at the cut")
    }

    @Test func nearEqualsBruteForceWithAndWithoutALimit() throws {
        let world = try Self.makeWorld(graves: 800)
        defer { try? world.store.close(); world.dir.remove() }
        var rng = SplitMix64(seed: 2)
        let view = AudienceView.everything
        let visible = Self.filters.map { ProximityOracle.visible(world.sites, view: view, filter: $0) }
        var cut = 0
        for q in 0..<180 {
            let p = Self.query(&rng), f = q % Self.filters.count
            let radius = [50.0, 150, 400, 2_000, 60_000][q % 5]
            let limit: Int? = q % 2 == 0 ? nil : [1, 10, 50][q / 2 % 3]
            let (expected, more) = ProximityOracle.near(p, radius: radius, limit: limit, visible[f])
            var got: [SiteMatch] = []
            let summary = try world.store.near(points: [p], radius: radius, limit: limit, filter: Self.filters[f], audience: view) { got.append($0) }
            #expect(ProximityOracle.same(got, expected, world.index), "near \(p) r=\(radius) limit \(limit ?? -1) filter \(f)")
            #expect(summary.first?.moreMatched == more, "near \(p) r=\(radius) limit \(limit ?? -1)")
            if more > 0 { cut += 1 }
        }
        #expect(cut > 10)
    }

    /// Five graves nearer, then nine on the same coordinates at 107.37 m: the 10th falls
    /// inside the tie, and all nine are kept, in store order.
    @Test func theCutKeepsEveryTiedSiteAndSaysSo() throws {
        let centre = Position(x: 51.5, y: 35.6)
        var sites: [Site] = []
        for i in 0..<5 {
            let p = Self.offset(centre, east: 0, north: Double(10 + 10 * i))
            sites.append(try SiteFixtures.point(p.x, p.y, name: "near \(i)"))
        }
        let same = Self.offset(centre, east: 107.37, north: 0)
        for i in 0..<9 { sites.append(try SiteFixtures.point(same.x, same.y, name: "tied \(i)")) }
        for i in 0..<20 {
            let p = Self.offset(centre, east: -200 - Double(i), north: 0)
            sites.append(try SiteFixtures.point(p.x, p.y, name: "far \(i)"))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("ties.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites.reversed())   // store order differs from the order made
        var got: [SiteMatch] = []
        let summary = try #require(try store.nearest(points: [centre], k: 10, audience: .everything) { got.append($0) }.first)
        #expect(got.count == 14 && summary.returned == 14)
        #expect(got.suffix(9).allSatisfy { $0.site.name.hasPrefix("tied") })
        #expect(got.suffix(9).map(\.site.name) == (0..<9).reversed().map { "tied \($0)" }, "ties in store order")
        let tie = try #require(summary.tie)
        #expect(tie.count == 9 && tie.beyondLimit == 4 && abs(tie.distanceM - got[13].distanceM!) < 1e-9)
        #expect(summary.moreMatched == 0)

        let near = try #require(try store.near(points: [centre], radius: 210, limit: 10, audience: .everything) { _ in }.first)
        let inside = sites.filter { Geodesic.wgs84.distance(from: centre, to: $0.geometry) <= 210 }.count
        #expect(inside > 20)
        #expect(near.returned == 14 && near.tie?.count == 9 && near.moreMatched == inside - 14)
        let exact = try #require(try store.nearest(points: [centre], k: 14, audience: .everything) { _ in }.first)
        #expect(exact.returned == 14 && exact.tie == nil)
    }

    /// The array conveniences give what the callbacks give.
    @Test func collectedResultsEqualStreamedOnes() throws {
        let world = try Self.makeWorld(graves: 200)
        defer { try? world.store.close(); world.dir.remove() }
        let points = Self.cemeteries + [Position(x: 0, y: 0)]
        var streamed: [SiteMatch] = []
        _ = try world.store.nearest(points: points, k: 7, audience: .anyone) { streamed.append($0) }
        #expect(try world.store.nearest(points: points, k: 7) == streamed)
        #expect(streamed.map { $0.queryIndex ?? -1 } == streamed.map { $0.queryIndex ?? -1 }.sorted())
        streamed = []
        _ = try world.store.near(points: points, radius: 150, audience: .anyone) { streamed.append($0) }
        #expect(try world.store.near(points: points, radius: 150) == streamed)
    }
}
