import TestSupport
import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// `near --points` in chunks (`nearInChunks`) gives exactly what each point's own walk gives:
/// the same sites, distances, treatments and order, and the same summaries, on a clustered
/// store, for every audience, with filters and limits, and with chunks of every size.
@Suite struct NearInChunksTests {
    /// Cemeteries of points and small polygons around a few centres (tens of metres apart, so
    /// that many sites tie in distance from a point), sparse sites between them, every
    /// sensitivity, and a polygon drawn across the antimeridian.
    static let centres = [Position(x: 51.40, y: 35.60), Position(x: 51.43, y: 35.62), Position(x: 48.67, y: 31.32),
                          Position(x: 179.99, y: 66.2)]

    static func makeSites(seed: UInt64) throws -> [Site] {
        var rng = SplitMix64(seed: seed)
        var sites: [Site] = []
        for (c, centre) in centres.enumerated() {
            var east = 0.0, north = 0.0
            for i in 0..<150 {
                // On a grid of 10 m within ~300 m of the centre; every third site where the one
                // before it lies (tied at every distance, so limits cut inside ties).
                if i % 3 != 2 {
                    east = Double(Int.random(in: -30...30, using: &rng)) * 10
                    north = Double(Int.random(in: -30...30, using: &rng)) * 10
                }
                let lon = min(179.999, centre.x + east / (111_320 * cos(centre.y * .pi / 180))), lat = centre.y + north / 110_950
                var site = i % 7 == 0 ? try SiteFixtures.square(min(179.998, lon), lat, half: 0.0001, name: "c\(c) trench \(i)")
                                      : try SiteFixtures.point(lon, lat, name: "c\(c) grave \(i)")
                site.sensitivity = [.public, .public, .public, .restricted, .confidential][Int.random(in: 0..<5, using: &rng)]
                site.condition = Bool.random(using: &rng) ? .destroyed : .intact
                if Bool.random(using: &rng) { site.period = "1988 prison massacres" }
                sites.append(site)
            }
        }
        for i in 0..<200 {
            let lon = Double.random(in: 48...52, using: &rng), lat = Double.random(in: 31...36, using: &rng)
            sites.append(try SiteFixtures.point(lon, lat, name: "sparse \(i)"))
        }
        let ring = [Position(x: 179.95, y: 66.1), Position(x: -179.95, y: 66.1), Position(x: -179.95, y: 66.15),
                    Position(x: 179.95, y: 66.15), Position(x: 179.95, y: 66.1)]
        sites.append(Site(geometry: .polygon(try Polygon(rings: [ring])), name: "across", type: .cemetery,
                          status: .reported, sensitivity: .public))
        return sites
    }

    /// Points in the clusters, between them, and far from any site.
    static func points(_ n: Int, _ rng: inout SplitMix64) -> [Position] {
        (0..<n).map { i in
            switch i % 4 {
            case 0, 1:
                let c = centres[Int.random(in: 0..<centres.count, using: &rng)]
                return Position(x: min(180, c.x + Double.random(in: -0.01...0.01, using: &rng)), y: c.y + Double.random(in: -0.01...0.01, using: &rng))
            case 2: return Position(x: Double.random(in: 48...52, using: &rng), y: Double.random(in: 31...36, using: &rng))
            default: return Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -90...90, using: &rng))
            }
        }
    }

    static let filters: [SiteFilter] = {
        var destroyed = SiteFilter()
        destroyed.conditions = [.destroyed]
        var massacres = SiteFilter()
        massacres.period = "massacre"
        return [SiteFilter(), destroyed, massacres]
    }()

    struct Answer: Equatable {
        var matches: [SiteMatch]
        var summaries: [ProximitySummary]
    }

    static func near(_ store: SiteStore, _ points: [Position], radius: Double, limit: Int?, filter: SiteFilter,
                     view: AudienceView, inChunks: Bool, chunk: ProximityChunk = ProximityChunk()) throws -> Answer {
        var matches: [SiteMatch] = []
        let summaries = try store.proximity(points: points, radius: radius, cut: limit, filter: filter, audience: view,
                                            inChunks: inChunks, chunk: chunk) { matches.append($0) }
        return Answer(matches: matches, summaries: summaries)
    }

    @Test func chunksGiveWhatEachPointsWalkGives() throws {
        let sites = try Self.makeSites(seed: 5)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("clustered.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites)
        var rng = SplitMix64(seed: 17)
        let chunks = [ProximityChunk(), ProximityChunk(points: 3, candidates: 500), ProximityChunk(points: 64, candidates: 40),
                      ProximityChunk(points: 64, candidates: 5_000, pieceRows: 7), ProximityChunk(pieceRows: 1)]
        var compared = 0, tied = 0, cutShort = 0
        for round in 0..<16 {
            let points = Self.points(Int.random(in: 2...60, using: &rng), &rng)
            let radius = [50.0, 300, 1_000, 40_000][round % 4]
            let limit = [nil, 1, 5, 40][round / 4 % 4]
            let view = [AudienceView(audience: .public), AudienceView(audience: .partner), .everything][round % 3]
            let filter = Self.filters[round / 3 % Self.filters.count]
            let chunk = chunks[round % chunks.count]
            let walked = try Self.near(store, points, radius: radius, limit: limit, filter: filter, view: view, inChunks: false)
            let chunked = try Self.near(store, points, radius: radius, limit: limit, filter: filter, view: view,
                                        inChunks: true, chunk: chunk)
            #expect(chunked == walked, "round \(round): radius \(radius), limit \(String(describing: limit)), \(chunk)")
            compared += walked.matches.count
            tied += walked.summaries.filter { $0.tie != nil }.count
            cutShort += walked.summaries.filter { $0.moreMatched > 0 }.count
        }
        // The property must have had something to hold on: many matches, ties at the cut,
        // limits that cut, and generalised sites.
        #expect(compared > 3_000)
        #expect(tied > 0)
        #expect(cutShort > 0)
    }

    /// Points that share their sites (the same witness asked again, and neighbours a few
    /// metres apart): every point gets each of its sites whole, as its own walk gives it, for
    /// every audience, though a chunk moves a site out for its last match only; also when a
    /// limit leaves some of a site's matches untaken, and with pieces of rows emptied and
    /// filled again, several chunks in turn, and the reading thread measuring pieces itself
    /// (one row a piece).
    @Test func pointsSharingSitesGetEachWhole() throws {
        let sites = try Self.makeSites(seed: 13)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("shared.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites)
        let centre = Self.centres[0]
        let points = (0..<24).map { i in
            i % 3 == 0 ? centre : Position(x: centre.x + Double(i) * 0.0002, y: centre.y - Double(i) * 0.0001)
        }
        var compared = 0, shared = 0
        for view in [AudienceView(audience: .public), AudienceView(audience: .partner), .everything] {
            for limit in [nil, 3] {
                for chunk in [ProximityChunk(points: 5, candidates: 5_000, pieceRows: 3), ProximityChunk(pieceRows: 1)] {
                    let walked = try Self.near(store, points, radius: 1_000, limit: limit, filter: SiteFilter(), view: view,
                                               inChunks: false)
                    let chunked = try Self.near(store, points, radius: 1_000, limit: limit, filter: SiteFilter(), view: view,
                                                inChunks: true, chunk: chunk)
                    #expect(chunked == walked, "\(view.audience), limit \(String(describing: limit)), \(chunk)")
                    compared += walked.matches.count
                    let ids = Dictionary(grouping: walked.matches, by: \.site.id)
                    shared += ids.values.filter { $0.count > 1 }.count
                }
            }
        }
        // Many matches, most sites met by several points.
        #expect(compared > 5_000 && shared > 200, "\(compared) matches, \(shared) sites shared")
    }

    /// A row that does not read as a site (an id another program broke), met in a chunk's
    /// later rows, stops the query with the error that names it: the measuring thread's
    /// failure reaches the caller, and nothing waits for ever.
    @Test func aBrokenRowStopsTheQueryWithItsError() throws {
        let sites = try Self.makeSites(seed: 21)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("broken.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insertBatch(sites)
        try store.close()
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            try db.execute(sql: "UPDATE sites SET uuid = 'broken-' || fid WHERE fid = (SELECT max(fid) FROM sites WHERE name LIKE 'c1 grave%')")
        }
        try queue.close()
        let reader = try SiteStore(path: path, access: .readOnly)
        defer { try? reader.close() }
        var rng = SplitMix64(seed: 4)
        let points = [Self.centres[0], Self.centres[1]] + Self.points(30, &rng)
        for chunk in [ProximityChunk(), ProximityChunk(points: 4, candidates: 2_000, pieceRows: 5)] {
            let error = #expect(throws: StoreError.self) {
                _ = try Self.near(reader, points, radius: 2_000, limit: nil, filter: SiteFilter(), view: .everything,
                                  inChunks: true, chunk: chunk)
            }
            #expect("\(String(describing: error))".contains("broken-"), "\(String(describing: error))")
        }
    }

    /// The chunks against brute force over every site (`ProximityOracle`) for every audience,
    /// on clustered data: the same sites in the same order, distances within a millimetre, each
    /// generalised site measured from its published cell centre, and every site read whole
    /// (the words, ids, names and dates the row decoding reads from the row's bytes) equal to
    /// the site stored.
    @Test func chunksEqualBruteForceForEveryAudience() throws {
        var sites = try Self.makeSites(seed: 9)
        for i in sites.indices where i % 5 == 0 {
            sites[i].status = [.suspected, .reported, .corroborated, .confirmed][i % 4]
            sites[i].locationPrecision = [.exact, .approximate, .representative, .locality, .region][i % 5]
            sites[i].type = [.massGrave, .individualGrave, .cemeterySection, .executionSite, .memorial][i % 5]
            sites[i].names = [SiteName(language: "fa", name: "خاوران \(i)")]
            sites[i].date = try PartialDate(parsing: i % 2 == 0 ? "1988-08" : "1367-05-10", calendar: i % 2 == 0 ? nil : .solarHijri)
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("clustered.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites)
        let index = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) })
        var rng = SplitMix64(seed: 31)
        let points = Self.points(120, &rng)
        var generalised = 0
        // 1 km as the benchmark asks; 12 km reaches the published cell centres (0.1° cells).
        for view in [AudienceView(audience: .public), AudienceView(audience: .partner), .everything] {
            for radius in [1_000.0, 12_000] {
                let visible = ProximityOracle.visible(sites, view: view, filter: SiteFilter())
                let answer = try Self.near(store, points, radius: radius, limit: nil, filter: SiteFilter(), view: view,
                                           inChunks: true, chunk: ProximityChunk(points: 32, candidates: 4_000, pieceRows: 50))
                for (q, p) in points.enumerated() {
                    let expected = ProximityOracle.near(p, radius: radius, limit: nil, visible).hits
                    let got = answer.matches.filter { $0.queryIndex == q }
                    #expect(ProximityOracle.same(got, expected, index), "\(view.audience), \(radius) m: point \(q) at \(p)")
                }
                let differing = answer.matches.first { m in index[m.site.id].map { sites[$0] != m.site } ?? true }
                #expect(differing == nil, "\(view.audience): read \(String(describing: differing?.site))")
                generalised += answer.matches.filter { $0.treatment == .generalised }.count
            }
        }
        #expect(generalised > 0, "no generalised site was met: the audiences were not put to the test")
    }

    /// The chunks against brute force over every site (`ProximityOracle`), for the public.
    @Test func chunksEqualBruteForce() throws {
        let sites = try Self.makeSites(seed: 8)
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("clustered.gpkg"))
        defer { try? store.close() }
        try store.insertBatch(sites)
        let index = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) })
        var rng = SplitMix64(seed: 3)
        let view = AudienceView(audience: .public)
        let points = Self.points(80, &rng)
        for filter in Self.filters {
            let visible = ProximityOracle.visible(sites, view: view, filter: filter)
            let answer = try Self.near(store, points, radius: 500, limit: nil, filter: filter, view: view,
                                       inChunks: true, chunk: ProximityChunk(points: 16, candidates: 2_000))
            for (q, p) in points.enumerated() {
                let expected = ProximityOracle.near(p, radius: 500, limit: nil, visible).hits
                let got = answer.matches.filter { $0.queryIndex == q }
                #expect(ProximityOracle.same(got, expected, index), "point \(q) at \(p)")
            }
        }
    }
}
