import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

/// Spatial queries as each audience sees the sites, on real SQLite: every figure of a
/// generalised site is its cell centre's, withheld sites do not exist, filters see what the
/// audience sees; and no combination of answers tells a restricted site's place better than
/// its cell.
@Suite struct AudienceQueryTests {
    static let grid = GeneralisationGrid()
    static let views = [AudienceView(audience: .public), AudienceView(audience: .partner), AudienceView.everything]

    /// Around Tehran and across the antimeridian in the Arctic: public, restricted and
    /// confidential points and small polygons, several restricted ones per cell.
    static func makeSites(seed: UInt64) throws -> [Site] {
        var rng = SplitMix64(seed: seed)
        var sites: [Site] = []
        let areas = [(x: 51.2...51.8, y: 35.4...35.9), (x: 179.6...179.99, y: 66.0...66.4)]
        for i in 0..<700 {
            let area = areas[i % 2]
            let x = Double.random(in: area.x, using: &rng), y = Double.random(in: area.y, using: &rng)
            var site = i % 5 == 0 ? try SiteFixtures.square(x, y, half: Double.random(in: 0.0002...0.002, using: &rng), name: "s\(i)")
                                  : try SiteFixtures.point(x, y, name: "s\(i)")
            site.sensitivity = [.public, .public, .restricted, .restricted, .confidential][i % 5 == 0 ? Int.random(in: 0..<5, using: &rng) : i % 5]
            site.condition = Bool.random(using: &rng) ? .destroyed : .intact
            if Bool.random(using: &rng) { site.period = "1988 prison massacres" }
            sites.append(site)
        }
        return sites
    }

    static func makeStore(_ sites: [Site], _ dir: TemporaryDirectory, _ name: String) throws -> SiteStore {
        let store = try SiteStore.create(at: dir.path(name))
        try store.insertBatch(sites)
        return store
    }

    static let filters: [SiteFilter] = {
        var destroyed = SiteFilter()
        destroyed.conditions = [.destroyed]          // a field generalised copies keep
        var massacres = SiteFilter()
        massacres.period = "massacre"                 // a field they withhold
        var restricted = SiteFilter()
        restricted.sensitivities = [.restricted]      // withheld too
        return [SiteFilter(), destroyed, massacres, restricted]
    }()

    static func query(_ rng: inout SplitMix64) -> Position {
        Bool.random(using: &rng) ? Position(x: Double.random(in: 51.1...51.9, using: &rng), y: Double.random(in: 35.3...36.0, using: &rng))
                                 : Position(x: Double.random(in: 179.5...180, using: &rng) * (Bool.random(using: &rng) ? 1 : -1), y: Double.random(in: 65.9...66.5, using: &rng))
    }

    /// near, nearest and within against brute force over the published geometries, for each
    /// audience and filter.
    @Test func everyAudienceGetsBruteForceOverWhatItSees() throws {
        let sites = try Self.makeSites(seed: 11)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.makeStore(sites, dir, "audience.gpkg")
        defer { try? store.close() }
        let index = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) })
        var rng = SplitMix64(seed: 12)
        var generalisedSeen = 0
        for view in Self.views {
            for (f, filter) in Self.filters.enumerated() {
                let visible = ProximityOracle.visible(sites, view: view, filter: filter)
                for q in 0..<12 {
                    let p = Self.query(&rng)
                    let k = [1, 5, 40][q % 3]
                    let nearest = try store.nearest(p, k: k, filter: filter, audience: view)
                    #expect(ProximityOracle.same(nearest, ProximityOracle.nearest(p, k: k, visible), index), "\(view.audience) filter \(f) nearest \(p)")
                    let radius = [500.0, 3_000, 20_000][q % 3]
                    let near = try store.near(p, radius: radius, filter: filter, audience: view)
                    #expect(ProximityOracle.same(near, ProximityOracle.near(p, radius: radius, limit: nil, visible).hits, index), "\(view.audience) filter \(f) near \(p)")
                    generalisedSeen += near.filter { $0.treatment == .generalised }.count
                    for m in near + nearest {
                        #expect(m.treatment == view.treatment(of: m.site.sensitivity))
                        if m.treatment == .generalised {
                            let centre = try #require(Self.grid.publishedPosition(of: m.site.geometry))
                            #expect(m.distanceM == Geodesic.wgs84.distance(p, centre), "measured from the cell centre")
                        }
                    }
                    // A square zone around the point: `within` is what GEOS says of the published geometries.
                    let zone = try SiteFixtures.square(p.x.clamped(-179.9, 179.9), p.y, half: 0.03).geometry
                    let expected = try visible.filter { try GEOSContext.current().intersects(zone, $0.geometry) }.map(\.index)
                    let within = try store.within(zone, filter: filter, audience: view)
                    #expect(within.map { index[$0.site.id] ?? -1 } == expected, "\(view.audience) filter \(f) within \(p)")
                }
            }
        }
        #expect(generalisedSeen > 100)
    }

    /// Explicit cases of the rules, on the same store.
    @Test func restrictedAtPublicIsItsCellConfidentialIsAbsent() throws {
        let sites = try Self.makeSites(seed: 21)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try Self.makeStore(sites, dir, "rules.gpkg")
        defer { try? store.close() }
        let everywhere = [Position(x: 51.5, y: 35.65), Position(x: 179.8, y: 66.2)]
        func all(_ view: AudienceView) throws -> [SiteMatch] { try store.near(points: everywhere, radius: 200_000, audience: view) }
        let publicHits = try all(AudienceView(audience: .public))
        #expect(!publicHits.contains { $0.site.sensitivity == .confidential })
        #expect(publicHits.filter { $0.site.sensitivity == .restricted }.allSatisfy { $0.treatment == .generalised })
        #expect(publicHits.contains { $0.treatment == .generalised })
        let partner = try all(AudienceView(audience: .partner))
        #expect(partner.filter { $0.site.sensitivity == .restricted }.allSatisfy { $0.treatment == .exact })
        #expect(partner.filter { $0.site.sensitivity == .confidential }.allSatisfy { $0.treatment == .generalised })
        #expect(partner.contains { $0.site.sensitivity == .confidential })
        let team = try all(.everything)
        #expect(team.allSatisfy { $0.treatment == .exact } && Set(team.map(\.site.id)).count == sites.count)

        // Filters on fields the generalised copy withholds never match it; on kept ones they do.
        let anyone = AudienceView(audience: .public)
        #expect(try store.near(points: everywhere, radius: 200_000, filter: Self.filters[2], audience: anyone).allSatisfy { $0.treatment == .exact })
        #expect(try store.near(points: everywhere, radius: 200_000, filter: Self.filters[3], audience: anyone).isEmpty)
        #expect(try store.near(points: everywhere, radius: 200_000, filter: Self.filters[1], audience: anyone).contains { $0.treatment == .generalised })

        // A zone holding a restricted site's cell centre: overlaps reports it there, as a point.
        let restricted = try #require(sites.first { $0.sensitivity == .restricted })
        let centre = try #require(Self.grid.publishedPosition(of: restricted.geometry))
        let zone = try SiteFixtures.square(centre.x, centre.y, half: 0.001).geometry
        let hits = try store.overlaps(with: zone, audience: anyone)
        let hit = try #require(hits.first { $0.a.id == restricted.id })
        #expect(hit.treatmentA == .generalised && hit.contact == .inside && hit.overlapM2 == 0)
        #expect(try store.overlaps(minOverlap: 0, audience: anyone).allSatisfy { $0.a.sensitivity == .public && $0.b?.sensitivity == .public })
    }

    /// Two stores that differ only in where each restricted site lies inside its cell give
    /// the public the same answers to every query, however combined: trilateration from three
    /// points, radii shrinking onto the true place, nearest ranks from it, small zones around
    /// it. So nothing the queries say pins a restricted site better than its cell.
    @Test func publicAnswersDependOnlyOnTheCell() throws {
        let sites = try Self.makeSites(seed: 31)
        var rng = SplitMix64(seed: 32)
        let moved = try sites.map { site -> Site in
            guard site.sensitivity != .public, let box = site.geometry.boundingBox else { return site }
            let size = Self.grid.cellSize
            let cx = (box.center.x / size).rounded(.down) * size, cy = (box.center.y / size).rounded(.down) * size
            let x = cx + size * Double.random(in: 0.1...0.9, using: &rng), y = cy + size * Double.random(in: 0.1...0.9, using: &rng)
            var other = try SiteFixtures.point(x, y, name: site.name, id: site.id)
            other.sensitivity = site.sensitivity
            other.condition = site.condition
            other.period = site.period
            #expect(Self.grid.publishedPosition(of: other.geometry) == Self.grid.publishedPosition(of: site.geometry))
            return other
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let a = try Self.makeStore(sites, dir, "a.gpkg"), b = try Self.makeStore(moved, dir, "b.gpkg")
        defer { try? a.close(); try? b.close() }
        let anyone = AudienceView(audience: .public)
        func answers(_ store: SiteStore, around p: Position) throws -> [String] {
            var out: [String] = []
            func note(_ m: SiteMatch) { out.append("\(m.queryIndex ?? -1) \(m.site.id) \(m.treatment) \(m.distanceM.map { String($0) } ?? "-")") }
            let ring = [Position(x: p.x + 0.02, y: p.y), Position(x: p.x - 0.01, y: p.y + 0.015), Position(x: p.x - 0.01, y: p.y - 0.015)]
            for filter in Self.filters {
                for s in try store.near(points: ring, radius: 5_000, limit: 25, filter: filter, audience: anyone, note) { out.append("\(s)") }
                for r in [3_000.0, 1_000, 300, 100, 30, 10, 3] {
                    for s in try store.near(points: [p], radius: r, filter: filter, audience: anyone, note) { out.append("\(s)") }
                }
                for k in [1, 2, 5, 20] {
                    for s in try store.nearest(points: [p] + ring, k: k, filter: filter, audience: anyone, note) { out.append("\(s)") }
                }
                for half in [0.0001, 0.001, 0.01] {
                    let zone = try SiteFixtures.square(p.x.clamped(-179.98, 179.98), p.y, half: half).geometry
                    try store.within(zone, filter: filter, audience: anyone, note)
                    for o in try store.overlaps(with: zone, minOverlap: 0, filter: filter, audience: anyone) {
                        out.append("\(o.a.id) \(o.contact) \(o.overlapM2) \(o.treatmentA)")
                    }
                }
            }
            return out
        }
        var compared = 0
        for (original, shifted) in zip(sites, moved) where original.sensitivity == .restricted {
            for place in [original.geometry.boundingBox?.center, shifted.geometry.boundingBox?.center].compactMap({ $0 }) {
                let ours = try answers(a, around: place), theirs = try answers(b, around: place)
                #expect(ours == theirs, "answers around \(original.name) tell the two stores apart")
                compared += 1
            }
            if compared >= 40 { break }
        }
        #expect(compared >= 40)
    }
}

extension Double {
    func clamped(_ lo: Double, _ hi: Double) -> Double { Swift.min(hi, Swift.max(lo, self)) }
}
