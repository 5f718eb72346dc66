import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// `/metrics`: the counts by route pattern and status, the latency histogram, the store's change
/// mark and the tile cache's counters, read back by an independent parser of the Prometheus text
/// format (`prometheus_client`), for the internal audience only.
@Suite struct MetricsRouteTests {
    static let requests = "graveatlas_http_requests_total"
    static let latency = "graveatlas_http_request_duration_seconds"
    static let items = "/collections/{collectionId}/items"
    static let item = "/collections/{collectionId}/items/{featureId}"

    @Test func countsRequestsByRoutePatternAndStatusWithTheHistogramTheChangeMarkAndTheTileCache() async throws {
        let fixture = try ServeFixture.make("metrics", publicCount: 6, restricted: 2, confidential: 2)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        let internalToken = tokens.token(.internal), partnerToken = tokens.token(.partner)
        let site = try #require(fixture.sites.first { $0.sensitivity == .public })
        let unknown = UUID().uuidString
        let metrics = ServeMetrics()
        let scraped = Collected()
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path, metrics: metrics) { get in
            let json: HTTPFields = [.accept: "application/json"]
            var partner = json, wrong = json, internalHeaders = json
            partner[.authorization] = "Bearer " + partnerToken
            wrong[.authorization] = "Bearer not-a-token-SECRET"
            internalHeaders[.authorization] = "Bearer " + internalToken
            // Before anything: the tile counters are there, at 0.
            await scraped.add("first", try await get("/metrics", internalHeaders).text)
            for (uri, headers, status) in [
                ("/collections/sites/items?limit=2", json, 200), ("/collections/sites/items?limit=3&type=mass_grave", partner, 200),
                ("/collections/sites/items?bbox=nan,35,52,36", json, 400),
                ("/collections/sites/items/\(site.id)", json, 200), ("/collections/sites/items/\(unknown)", json, 404),
                ("/nowhere/\(site.id)?token=\(internalToken)", json, 404), ("/", wrong, 401),
                ("/metrics", json, 403), ("/metrics", partner, 403),
            ] as [(String, HTTPFields, Int)] {
                let answer = try await get(uri, headers)
                #expect(answer.status == status, "\(uri): \(answer.status) \(answer.text.prefix(200))")
            }
            metrics.tileCache(hit: true)
            metrics.tileCache(hit: true)
            metrics.tileCache(hit: true)
            metrics.tileCache(hit: false)
            let answer = try await get("/metrics", internalHeaders)
            #expect(answer.status == 200)
            #expect(answer.contentType == "text/plain; version=0.0.4; charset=utf-8")
            await scraped.add("second", answer.text)
        }
        let bodies = await scraped.bodies
        let first = try PrometheusOracle(try #require(bodies.first?.1))
        #expect(first.value("graveatlas_tile_cache_hits_total") == 0 && first.value("graveatlas_tile_cache_misses_total") == 0,
                "\(bodies.first?.1 ?? "")")
        let text = try #require(bodies.last?.1)
        let read = try PrometheusOracle(text)

        // prometheus_client names a counter's family without its `_total`; older versions kept it.
        #expect((read.types["graveatlas_http_requests"] ?? read.types[Self.requests]) == "counter", "\(read.types)")
        #expect(read.types[Self.latency] == "histogram", "\(read.types)")
        #expect(read.types["graveatlas_store_change_mark"] == "gauge", "\(read.types)")
        let expected: [(String, String, Double)] = [
            (Self.items, "200", 2), (Self.items, "400", 1), (Self.item, "200", 1), (Self.item, "404", 1),
            ("unmatched", "404", 1), ("/", "401", 1), ("/metrics", "403", 2), ("/metrics", "200", 1),
        ]
        for (route, status, count) in expected {
            #expect(read.value(Self.requests, ["route": route, "status": status]) == count, "\(route) \(status)\n\(text)")
        }
        let counted = read.samples.filter { $0.name == Self.requests }.reduce(0) { $0 + $1.value }
        #expect(counted == expected.reduce(0) { $0 + $1.2 }, "no request counted twice, none left out\n\(text)")

        // The histogram, by route: every request is in +Inf, the buckets only grow, the sum is a time.
        for (route, count) in [(Self.items, 3.0), (Self.item, 2.0), ("unmatched", 1.0), ("/metrics", 3.0)] {
            #expect(read.value(Self.latency + "_count", ["route": route]) == count, "\(route)\n\(text)")
            #expect(read.value(Self.latency + "_bucket", ["route": route, "le": "+Inf"]) == count, "\(route)")
            let buckets = read.samples.filter { $0.name == Self.latency + "_bucket" && $0.labels["route"] == route }
                .compactMap { s in s.labels["le"].flatMap { Double($0 == "+Inf" ? "inf" : $0) }.map { ($0, s.value) } }
                .sorted { $0.0 < $1.0 }
            #expect(buckets.count > 5 && zip(buckets, buckets.dropFirst()).allSatisfy { $0.1 <= $1.1 }, "\(route): \(buckets)")
            let sum = read.value(Self.latency + "_sum", ["route": route]) ?? -1
            #expect(sum > 0 && sum < 600, "\(route): \(sum) s")
        }

        // The change mark is the store's own.
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        let mark = try store.snapshot { try $0.changeMark() }
        try store.close()
        #expect(mark > 0 && read.value("graveatlas_store_change_mark") == Double(mark), "\(mark)\n\(text)")
        #expect(read.value("graveatlas_tile_cache_hits_total") == 3 && read.value("graveatlas_tile_cache_misses_total") == 1)

        // No label holds what a client chose: a token, an id, a query string, a raw path.
        let routes = Set([Self.items, Self.item, "unmatched", "/", "/metrics"])
        for sample in read.samples {
            if let route = sample.labels["route"] { #expect(routes.contains(route), "\(sample.name) \(route)") }
            for value in sample.labels.values {
                for secret in [internalToken, partnerToken, "SECRET", site.id, unknown, "nowhere", "?", "bbox", "limit"] {
                    #expect(!value.contains(secret), "\(sample.name): \(value)")
                }
            }
        }
        for secret in [internalToken, partnerToken, "SECRET", site.id, unknown, "nowhere"] {
            #expect(!text.contains(secret), "the text holds \(secret)")
        }
    }

    @Test func theChangeMarkFollowsTheStoreAndEachRouterCountsOnItsOwn() async throws {
        let fixture = try ServeFixture.make("metrics-mark", publicCount: 4, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        var headers: HTTPFields = [.authorization: "Bearer " + tokens.token(.internal)]
        headers[.accept] = "text/plain"
        let asked = headers
        let first = try #require(fixture.sites.first)
        let site = try #require(UUID(uuidString: first.id))
        let scraped = Collected()
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            await scraped.add("before", try await get("/metrics", asked).text)
            // An edit committed while the server runs (as an import would): the next scrape shows it.
            let writer = try SiteStore(path: fixture.storePath)
            try writer.insert(SiteEvent(site: site, type: .visited, date: try PartialDate(parsing: "2024-05"), description: "EVENT-METRICS"))
            try writer.close()
            await scraped.add("after", try await get("/metrics", asked).text)
        }
        // Another router in the same process starts from nothing.
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            await scraped.add("other", try await get("/metrics", asked).text)
        }
        let bodies = await scraped.bodies
        #expect(bodies.count == 3)
        let before = try PrometheusOracle(bodies[0].1), after = try PrometheusOracle(bodies[1].1), other = try PrometheusOracle(bodies[2].1)
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        let mark = try store.snapshot { try $0.changeMark() }
        try store.close()
        let earlier = try #require(before.value("graveatlas_store_change_mark"))
        #expect(after.value("graveatlas_store_change_mark") == Double(mark) && Double(mark) > earlier, "\(earlier) → \(mark)")
        #expect(after.value(Self.requests, ["route": "/metrics", "status": "200"]) == 1)
        #expect(other.value(Self.requests, ["route": "/metrics", "status": "200"]) == nil, "a new router has counted nothing yet")
    }

    @Test func onlyTheInternalAudienceMayReadIt() async throws {
        let fixture = try ServeFixture.make("metrics-audience", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            for (name, authorization, status) in [("none", nil, 403), ("partner", "Bearer " + tokens.token(.partner), 403),
                                                  ("unknown", "Bearer nope", 401), ("internal", "Bearer " + tokens.token(.internal), 200)]
                as [(String, String?, Int)]
            {
                var headers: HTTPFields = [:]
                if let authorization { headers[.authorization] = authorization }
                let answer = try await get("/metrics", headers)
                #expect(answer.status == status, "\(name): \(answer.status) \(answer.text.prefix(200))")
                if status == 200 {
                    #expect(answer.text.contains("# TYPE graveatlas_http_requests_total counter"), "\(answer.text)")
                } else {
                    #expect(answer.contentType == "application/json" && answer.json?["code"]?.stringValue?.isEmpty == false,
                            "\(name): the OGC exception format: \(answer.text)")
                    #expect(!answer.text.contains("graveatlas_"), "\(name): no metric in a refusal")
                }
            }
            var internalHeaders: HTTPFields = [:]
            internalHeaders[.authorization] = "Bearer " + tokens.token(.internal)
            #expect(try await get("/metrics?x=1", internalHeaders).status == 400)
            // Not on the landing page: it is not public.
            let landing = try await get("/", [.accept: "application/json"])
            #expect(landing.status == 200 && !landing.text.contains("/metrics"), "\(landing.text)")
        }
    }
}
