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

        let restricted = fixture.sites.filter { $0.sensitivity == .restricted }
        let confidential = fixture.sites.filter { $0.sensitivity == .confidential }
        let publicSites = fixture.sites.filter { $0.sensitivity == .public }
        var secrets = (restricted + confidential).flatMap { [$0.name, $0.persianName, $0.description, "EVENT-" + $0.name] }
        secrets += confidential.flatMap { [$0.id, $0.id.lowercased()] }
        var positions = 0
        for (uri, body) in bodies {
            for secret in secrets { #expect(!body.contains(secret), "\(uri) holds \(secret)") }
            for p in Self.positions(in: body) {
                positions += 1
                for site in confidential {
                    let centre = site.geometry.boundingBox?.center ?? Position(x: 0, y: 0)
                    #expect(FixtureShapes.metres(p, centre) >= 150, "\(uri): \(p) reveals confidential \(site.id)")
                }
                for site in restricted {
                    site.geometry.forEachPosition { q in
                        guard FixtureShapes.metres(p, q) < 20 else { return }
                        let covered = publicSites.contains { FixtureShapes.metres($0.geometry.boundingBox?.center ?? q, q) < 300 }
                        #expect(covered, "\(uri): \(p) reveals restricted \(site.id)")
                    }
                }
            }
        }
        #expect(positions > 500, "the answers were read for positions")
        #expect(bodies.contains { $0.1.contains("\"generalised\":true") }, "restricted sites are shown, generalised")
    }

    /// Every number pair inside `coordinates` and `bbox` members (the collection extent's too).
    static func positions(in text: String) -> [Position] {
        var out: [Position] = []
        for member in ["\"coordinates\":", "\"bbox\":"] {
            for chunk in text.components(separatedBy: member).dropFirst() {
                let end = chunk.firstIndex(where: { $0 == "}" || $0 == "\"" }) ?? chunk.endIndex
                let v = chunk[..<end].split(whereSeparator: { !"0123456789.-eE".contains($0) }).compactMap { Double($0) }
                for k in stride(from: 0, to: v.count - 1, by: 2) { out.append(Position(x: v[k], y: v[k + 1])) }
            }
        }
        return out
    }
}

/// Answers gathered from inside the router test's closure.
actor Collected {
    var bodies: [(String, String)] = []
    func add(_ uri: String, _ body: String) { bodies.append((uri, body)) }
}
