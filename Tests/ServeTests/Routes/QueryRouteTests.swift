import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// `/query/near`, `/query/nearest`, `/search` and `/healthz` through the router (no socket), over
/// a real store: the Store API, asked as `graveatlas query` asks it (the audience's view, ties in
/// `ProximityTies`' order), is the oracle for each audience's answer.
@Suite struct QueryRouteTests {
    /// A site as an answer lists it: id, and its figure (`distance_m` or `match`).
    struct Listed: Equatable, CustomStringConvertible {
        var id: String
        var distance: Double?
        var match: String?
        var description: String { "\(id) \(distance.map { String($0) } ?? match ?? "")" }
    }

    static func listed(_ answer: Answer) throws -> [Listed] {
        guard answer.status == 200, let json = answer.json, json["type"]?.stringValue == "FeatureCollection" else {
            throw FixtureError("\(answer.status) \(answer.text.prefix(300))")
        }
        return (json["features"]?.arrayValue ?? []).map {
            Listed(id: $0["id"]?.stringValue ?? "", distance: $0["properties"]?["distance_m"]?.doubleValue,
                   match: $0["properties"]?["match"]?.stringValue)
        }
    }

    /// What the Store API gives for near (`radius`) or nearest (`k`), in the command's order.
    static func expected(_ path: String, audience: Audience, at p: Position, radius: Double? = nil, limit: Int = 100,
                         k: Int = 1, filter: SiteFilter = SiteFilter()) throws -> (sites: [Listed], matched: Int) {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        let view = AudienceView(audience: audience, grid: try store.grid())
        let ties = try ProximityTies(view: view, store: store)
        var out: [Listed] = []
        let emit = { (m: SiteMatch) in out.append(Listed(id: m.site.id.uuidString, distance: m.distanceM)) }
        let summaries: [ProximitySummary]
        if let radius {
            summaries = try store.near(points: [p], radius: radius, limit: limit, filter: filter, audience: view) { try ties.add($0, to: emit) }
        } else {
            summaries = try store.nearest(points: [p], k: k, filter: filter, audience: view) { try ties.add($0, to: emit) }
        }
        try ties.finish(emit)
        return (out, summaries.reduce(0) { $0 + $1.returned + $1.moreMatched })
    }

    static func same(_ served: [Listed], _ expected: [Listed], _ what: String) {
        #expect(served.map(\.id) == expected.map(\.id), "\(what): the same sites in the same order")
        for (s, e) in zip(served, expected) {
            #expect(abs((s.distance ?? -1) - (e.distance ?? 1e9)) <= 0.001, "\(what): \(s) against \(e)")
        }
    }

    static func headers(_ audience: Audience, _ tokens: TokenFixture) -> HTTPFields {
        audience == .public ? [:] : [.authorization: "Bearer " + tokens.token(audience)]
    }

    @Test(arguments: [Audience.public, .partner, .internal])
    func nearAndNearestAnswerWhatTheStoreGivesTheAudience(_ audience: Audience) async throws {
        let fixture = try ServeFixture.make("near-\(audience.rawValue)", publicCount: 30, restricted: 16, confidential: 10, west: 20)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        let points = [Position(x: 51.4, y: 35.7), Position(x: -3.7, y: 40.45), Position(x: 48.7, y: 31.35)]
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            let h = Self.headers(audience, tokens)
            for p in points {
                for (radius, limit) in [(30_000.0, 100), (100_000, 7), (2_500, 10_000)] {
                    let uri = "/query/near?lon=\(p.x)&lat=\(p.y)&radius=\(Int(radius))&limit=\(limit)"
                    let answer = try await get(uri, h)
                    #expect(answer.contentType == "application/geo+json")
                    let oracle = try Self.expected(fixture.storePath, audience: audience, at: p, radius: radius, limit: limit)
                    Self.same(try Self.listed(answer), oracle.sites, uri)
                    #expect(answer.json?["numberMatched"]?.intValue == oracle.matched, "\(uri)")
                    #expect(answer.json?["numberReturned"]?.intValue == oracle.sites.count, "\(uri)")
                }
                for k in [1, 5, 1_000] {
                    let uri = "/query/nearest?lon=\(p.x)&lat=\(p.y)&k=\(k)"
                    let oracle = try Self.expected(fixture.storePath, audience: audience, at: p, k: k)
                    let served = try Self.listed(try await get(uri, h))
                    Self.same(served, oracle.sites, uri)
                    #expect(served.count >= min(k, 20), "\(uri): \(served.count)")
                }
            }
            // Filters as the items route takes them, applied by the store as the command applies them.
            var filter = SiteFilter()
            filter.types = [.massGrave]
            filter.conditions = [.destroyed]
            let p = Position(x: 51.4, y: 35.7)
            let uri = "/query/near?lon=51.4&lat=35.7&radius=100000&type=mass_grave&condition=destroyed"
            let oracle = try Self.expected(fixture.storePath, audience: audience, at: p, radius: 100_000, filter: filter)
            Self.same(try Self.listed(try await get(uri, h)), oracle.sites, uri)
            let nearestOracle = try Self.expected(fixture.storePath, audience: audience, at: p, k: 4, filter: filter)
            Self.same(try Self.listed(try await get("/query/nearest?lon=51.4&lat=35.7&k=4&type=mass_grave&condition=destroyed", h)),
                      nearestOracle.sites, "nearest filtered")
        }
    }

    @Test func negativeLongitudesFindTheSitesWestOfGreenwich() async throws {
        let fixture = try ServeFixture.make("west", publicCount: 4, restricted: 2, confidential: 2, west: 16)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let near = try Self.listed(try await get("/query/near?lon=-3.7&lat=40.45&radius=40000", [:]))
            let west = fixture.sites.filter { $0.name.contains("WEST-") }.map(\.id)
            #expect(Set(near.map(\.id)) == Set(west), "every Madrid site (the restricted at its cell centre), no other")
            let oracle = try Self.expected(fixture.storePath, audience: .public, at: Position(x: -3.7, y: 40.45), radius: 40_000)
            Self.same(near, oracle.sites, "near -3.7")
            let nearest = try Self.listed(try await get("/query/nearest?lon=-3.7&lat=40.45&k=3", [:]))
            #expect(nearest.count >= 3 && nearest.allSatisfy { west.contains($0.id) })
            #expect(zip(nearest, nearest.dropFirst()).allSatisfy { ($0.distance ?? 0) <= ($1.distance ?? 0) }, "nearest first")
        }
    }

    @Test(arguments: [Audience.public, .partner, .internal])
    func searchAnswersWhatTheStoreFindsForTheAudience(_ audience: Audience) async throws {
        let fixture = try ServeFixture.make("search-\(audience.rawValue)", publicCount: 20, restricted: 10, confidential: 6)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        defer { try? store.close() }
        let view = AudienceView(audience: audience, grid: try store.grid())
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            for (q, limit) in [("NAME", 100), ("NAME", 3), ("DESCRIPTION-PUBLIC-1", 100), ("NAME-RESTRICTED-1", 100),
                               ("NAME-CONFIDENTIAL-2", 100), ("نام", 1_000), ("exact", 100), ("reported", 100), ("mass*", 50)] {
                let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
                let answer = try await get("/search?q=\(encoded)&limit=\(limit)", Self.headers(audience, tokens))
                let served = try Self.listed(answer)
                let oracle = try store.search(q, audience: view, limit: limit)
                #expect(served.map(\.id) == oracle.map(\.site.id.uuidString), "\(q) at \(audience)")
                #expect(served.map(\.match) == oracle.map(\.tier.rawValue), "\(q) at \(audience): the tiers")
                if audience == .public { #expect(!served.contains { $0.match == "source" }, "\(q): never through source text at public") }
                #expect(answer.json?["numberReturned"]?.intValue == served.count)
            }
            let restricted = try Self.listed(try await get("/search?q=NAME-RESTRICTED-1", Self.headers(audience, tokens)))
            #expect(restricted.isEmpty == (audience == .public), "a restricted site is found by name only where it is shown exactly")
        }
    }

    /// Every answer's features as `graveatlas query … --format geojson` writes them: the same
    /// properties, in the same order, for the audience.
    @Test func featuresCarryTheCommandsColumns() async throws {
        let fixture = try ServeFixture.make("columns", publicCount: 8, restricted: 4, confidential: 2)
        defer { fixture.remove() }
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        defer { try? store.close() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let view = AudienceView(audience: .public, grid: try store.grid())
            for (uri, figure) in [("/query/nearest?lon=51.4&lat=35.7&k=12", "distance_m"), ("/search?q=NAME", "match")] {
                let columns = try OutputColumns.discover(in: store, view: view, figures: [figure])
                let features = try await get(uri, [:]).json?["features"]?.arrayValue ?? []
                #expect(!features.isEmpty)
                for f in features {
                    let keys = f["properties"]?.objectValue?.keys ?? []
                    #expect(keys.first == figure, "\(uri): the figure comes first, as the command writes it")
                    #expect(Set(keys).isSubset(of: Set(columns.keys)), "\(uri): \(keys) within \(columns.keys)")
                }
            }
        }
    }

    @Test func everyBadParameterIsA400NamingIt() async throws {
        let fixture = try ServeFixture.make("bad-query", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let long = String(repeating: "a", count: 201)
        let cases: [(String, String)] = [
            ("/query/near?lat=35&radius=10", "lon"), ("/query/near?lon=51&radius=10", "lat"), ("/query/near?lon=51&lat=35", "radius"),
            ("/query/near?lon=nan&lat=35&radius=10", "lon"), ("/query/near?lon=NaN&lat=35&radius=10", "lon"),
            ("/query/near?lon=inf&lat=35&radius=10", "lon"), ("/query/near?lon=-infinity&lat=35&radius=10", "lon"),
            ("/query/near?lon=181&lat=35&radius=10", "lon"), ("/query/near?lon=-180.5&lat=35&radius=10", "lon"),
            ("/query/near?lon=abc&lat=35&radius=10", "lon"), ("/query/near?lon=&lat=35&radius=10", "lon"),
            ("/query/near?lon=0x10&lat=35&radius=10", "lon"), ("/query/near?lon=1e400&lat=35&radius=10", "lon"),
            ("/query/near?lon=51&lat=91&radius=10", "lat"), ("/query/near?lon=51&lat=-90.1&radius=10", "lat"),
            ("/query/near?lon=51&lat=nan&radius=10", "lat"), ("/query/near?lon=51&lat=3%2C5&radius=10", "lat"),
            ("/query/near?lon=51&lat=35&radius=0", "radius"), ("/query/near?lon=51&lat=35&radius=-5", "radius"),
            ("/query/near?lon=51&lat=35&radius=100001", "radius"), ("/query/near?lon=51&lat=35&radius=inf", "radius"),
            ("/query/near?lon=51&lat=35&radius=NaN", "radius"), ("/query/near?lon=51&lat=35&radius=1e400", "radius"),
            ("/query/near?lon=51&lat=35&radius=10&limit=0", "limit"), ("/query/near?lon=51&lat=35&radius=10&limit=10001", "limit"),
            ("/query/near?lon=51&lat=35&radius=10&limit=1.5", "limit"), ("/query/near?lon=51&lat=35&radius=10&limit=x", "limit"),
            ("/query/near?lon=51&lat=35&radius=10&type=bogus", "type"), ("/query/near?lon=51&lat=35&radius=10&status=x", "status"),
            ("/query/near?lon=51&lat=35&radius=10&condition=x", "condition"), ("/query/near?lon=51&lat=35&radius=10&k=3", "k"),
            ("/query/near?lon=51&lat=35&radius=10&f=html", "f"), ("/query/near?lon=51&lat=35&lon=52&radius=10", "lon"),
            ("/query/nearest?lat=35", "lon"), ("/query/nearest?lon=51", "lat"), ("/query/nearest?lon=51&lat=35&k=0", "k"),
            ("/query/nearest?lon=51&lat=35&k=1001", "k"), ("/query/nearest?lon=51&lat=35&k=-1", "k"),
            ("/query/nearest?lon=51&lat=35&k=abc", "k"), ("/query/nearest?lon=51&lat=35&radius=10", "radius"),
            ("/query/nearest?lon=inf&lat=35", "lon"), ("/query/nearest?lon=51&lat=35&type=x", "type"),
            ("/search", "q"), ("/search?q=", "q"), ("/search?q=%20%20", "q"), ("/search?q=" + long, "q"),
            ("/search?q=%00a", "q"), ("/search?q=a&limit=0", "limit"), ("/search?q=a&limit=1001", "limit"),
            ("/search?q=a&limit=ten", "limit"), ("/search?q=a&bogus=1", "bogus"), ("/search?q=a&f=html", "f"),
            ("/healthz?x=1", "x"),
        ]
        try await RouterHarness.run(store: fixture.storePath) { get in
            for (uri, parameter) in cases {
                let answer = try await get(uri, [:])
                #expect(answer.status == 400, "\(uri): \(answer.status) \(answer.text)")
                #expect(answer.contentType.hasPrefix("application/json"), "\(uri)")
                #expect(answer.json?["code"]?.stringValue == "InvalidParameterValue", "\(uri): \(answer.text)")
                let description = answer.json?["description"]?.stringValue ?? ""
                let named = description.hasPrefix(parameter + " ") || description.hasPrefix(parameter + ":")
                    || description.contains("'\(parameter)'")
                #expect(named, "\(uri): '\(description)' names \(parameter)")
            }
            // At the bounds, answered.
            for uri in ["/query/near?lon=-180&lat=-90&radius=100000", "/query/near?lon=180&lat=90&radius=0.5&limit=10000",
                        "/query/nearest?lon=-3.7&lat=40.4&k=1000", "/search?q=" + String(long.dropFirst()) + "&limit=1000",
                        "/query/near?lon=51.4&lat=35.7&radius=1e5&f=geojson"] {
                #expect(try await get(uri, [:]).status == 200, "\(uri)")
            }
        }
    }

    @Test func healthzReadsTheStore() async throws {
        let fixture = try ServeFixture.make("health", publicCount: 2, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let answer = try await get("/healthz", [:])
            #expect(answer.status == 200 && answer.contentType.hasPrefix("application/json"))
            #expect(answer.json == ["status": "ok"])
        }
        try await RouterHarness.run(catalogue: BrokenCatalogue()) { get in
            let answer = try await get("/healthz", [:])
            #expect(answer.status == 503, "\(answer.text)")
            #expect(answer.json?["code"]?.stringValue == "ServiceUnavailable")
            #expect(!answer.text.contains("disk I/O"), "the store's own error goes to the log, not to the client")
        }
    }

    @Test func landingPageAndAPIDefinitionNameTheQueries() async throws {
        let fixture = try ServeFixture.make("query-links", publicCount: 2, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let links = try await get("/", [.accept: "application/json"]).json?["links"]?.arrayValue ?? []
            let hrefs = Set(links.compactMap { $0["href"]?.stringValue })
            for path in ["/search", "/query/near", "/query/nearest", "/healthz"] { #expect(hrefs.contains(RouterHarness.base + path)) }
            let api = try await get("/api", [:]).json
            let radius = api?["paths"]?["/query/near"]?["get"]?["parameters"]?.arrayValue?.first { $0["name"]?.stringValue == "radius" }
            #expect(radius?["schema"]?["maximum"]?.doubleValue == 100_000)
            #expect(radius?["description"]?.stringValue?.contains("100 km") == true)
        }
    }
}

/// A catalogue whose store cannot be read: every call fails as a broken disk would.
struct BrokenCatalogue: SiteCatalogue {
    struct DiskError: Error, CustomStringConvertible { var description: String { "disk I/O error" } }
    func collection(for audience: Audience) throws -> CollectionSummary { throw DiskError() }
    func items(_ query: ItemsQueryInput, for audience: Audience) throws -> ItemsPage { throw DiskError() }
    func item(id: String, for audience: Audience) throws -> [UInt8]? { throw DiskError() }
    func health() throws { throw DiskError() }
    func changeMark() throws -> Int64 { throw DiskError() }
    func proximity(_ query: ProximityQuery, for audience: Audience) throws -> QueryAnswer { throw DiskError() }
    func search(_ query: SearchQuery, for audience: Audience) throws -> QueryAnswer { throw DiskError() }
    func within(_ query: WithinQuery, for audience: Audience) throws -> QueryAnswer { throw DiskError() }
    func overlaps(_ query: OverlapsQuery, for audience: Audience) throws -> QueryAnswer { throw DiskError() }
}
