import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// The safeguarding promise over the whole public API, decided as the export leak test decides
/// it: no answer of any route, for any request without a token, holds a position within 20 m
/// of a restricted site's vertex or 150 m of a confidential site, nor the name, Persian name,
/// description or events of a protected site, nor a confidential site's id.
@Suite struct AudienceLeakTests {
    @Test func noPublicAnswerHoldsAnythingProtected() async throws {
        let fixture = try ServeFixture.make("leak", publicCount: 40, restricted: 25, confidential: 20)
        defer { fixture.remove() }
        var bodies: [(String, String)] = []
        let collected = Collected()
        try await RouterHarness.run(store: fixture.storePath) { get in
            let json: HTTPFields = [.accept: "application/json"]
            var uris = ["/", "/?f=html", "/conformance", "/api", "/collections", "/collections/sites",
                        "/collections/sites/items", "/collections/sites/items?limit=10000",
                        "/collections/sites/items?bbox=48,31,49,32", "/collections/sites/items?datetime=../2100-01-01",
                        "/collections/sites/items?type=mass_grave&limit=2"]
            uris += fixture.sites.map { "/collections/sites/items/\($0.id)" }
            for uri in uris { await collected.add(uri, try await get(uri, json).text) }
            let pages = try await RouterHarness.pages(get, query: "limit=3", headers: json)
            await collected.add("pages", pages.features.map { $0.encoded() }.joined(separator: "\n"))
        }
        bodies = await collected.bodies
        #expect(bodies.count > 80)

        let positions = LeakCheck(fixture.sites).expectNothingProtected(in: bodies)
        #expect(positions > 500, "the answers were read for positions")
        #expect(bodies.contains { $0.1.contains("\"generalised\":true") }, "restricted sites are shown, generalised")
    }
}

/// Answers gathered from inside the router test's closure.
actor Collected {
    var bodies: [(String, String)] = []
    func add(_ uri: String, _ body: String) { bodies.append((uri, body)) }
}
