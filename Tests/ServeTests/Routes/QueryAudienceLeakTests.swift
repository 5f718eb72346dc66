import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// The safeguarding promise over the query routes, as `AudienceLeakTests` decides it for the
/// features routes: no public answer of `/query/near`, `/query/nearest` or `/search` holds a
/// position within 20 m of a restricted site's vertex or 150 m of a confidential site, nor a
/// protected site's names, description or events, nor a confidential site's id; and no
/// distance gives a generalised site's true position away: each is measured from the published
/// cell centre, so asking at a restricted site's true position never answers "0 m".
@Suite struct QueryAudienceLeakTests {
    @Test func noPublicQueryAnswerHoldsAnythingProtected() async throws {
        let fixture = try ServeFixture.make("query-leak", publicCount: 30, restricted: 20, confidential: 14, west: 12)
        defer { fixture.remove() }
        let restricted = fixture.sites.filter { $0.sensitivity == .restricted }
        let confidential = fixture.sites.filter { $0.sensitivity == .confidential }
        let collected = Collected()
        try await RouterHarness.run(store: fixture.storePath) { get in
            var uris: [String] = []
            // At each protected site's true position (and every vertex of one), near and nearest.
            for site in restricted + confidential {
                guard let c = site.geometry.boundingBox?.center else { continue }
                uris += ["/query/near?lon=\(c.x)&lat=\(c.y)&radius=500", "/query/near?lon=\(c.x)&lat=\(c.y)&radius=100000&limit=10000",
                         "/query/nearest?lon=\(c.x)&lat=\(c.y)&k=1", "/query/nearest?lon=\(c.x)&lat=\(c.y)&k=1000"]
            }
            uris += ["/query/near?lon=51.4&lat=35.7&radius=100000&limit=10000", "/query/near?lon=-3.7&lat=40.45&radius=100000",
                     "/query/near?lon=48.7&lat=31.35&radius=100000&limit=10000", "/query/nearest?lon=48.7&lat=31.35&k=1000"]
            for q in ["NAME", "DESCRIPTION", "EVENT", "نام", "RESTRICTED", "CONFIDENTIAL", "NAME*", "DESCRIPTION-RESTRICTED*"] {
                uris.append("/search?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q)&limit=1000")
            }
            for site in restricted + confidential {
                for text in [site.name, site.persianName, site.description, site.id] {
                    uris.append("/search?q=\(text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text)")
                }
            }
            for uri in uris {
                let answer = try await get(uri, [:])
                #expect(answer.status == 200, "\(uri): \(answer.status)")
                // The `self` link repeats the request (a searched name, say): what the client sent is no leak.
                // The answer is written with the links before the features (see QueryRoutes); the
                // features, counts and all after them are kept as sent.
                var text = answer.text
                if let start = text.range(of: #""links":"#), let end = text.range(of: #","features":["#), start.upperBound < end.lowerBound {
                    text.removeSubrange(start.lowerBound..<text.index(after: end.lowerBound))   // and its comma
                } else {
                    Issue.record("\(uri): no links before the features: \(text.prefix(300))")
                }
                await collected.add(uri, text)
            }
        }
        let bodies = await collected.bodies
        #expect(bodies.count > 200)

        let positions = LeakCheck(fixture.sites).expectNothingProtected(in: bodies)
        var generalised = 0
        for (uri, body) in bodies { generalised += try Self.checkDistances(uri, body, restricted: restricted) }
        #expect(positions > 1_000, "the answers were read for positions")
        #expect(generalised > 100, "restricted sites are answered, generalised, and their distances were checked")
    }

    /// Checks that each generalised feature's `distance_m` is the distance from the query point
    /// to its published position (the sphere's distance, within 1 % and 1 m of the ellipsoid's),
    /// and that asked at a restricted site's true position its distance is not near 0; returns
    /// how many generalised features it checked.
    static func checkDistances(_ uri: String, _ body: String, restricted: [ServeFixture.Truth]) throws -> Int {
        guard uri.hasPrefix("/query/"), let components = URLComponents(string: uri),
              let lon = components.queryItems?.first(where: { $0.name == "lon" })?.value.flatMap(Double.init),
              let lat = components.queryItems?.first(where: { $0.name == "lat" })?.value.flatMap(Double.init)
        else { return 0 }
        let asked = Position(x: lon, y: lat)
        let json = try JSONValue(parsing: body)
        var checked = 0
        for f in json["features"]?.arrayValue ?? [] where f["properties"]?["generalised"]?.boolValue == true {
            let coordinates = f["geometry"]?["coordinates"]?.arrayValue?.compactMap(\.doubleValue) ?? []
            guard coordinates.count == 2, let d = f["properties"]?["distance_m"]?.doubleValue else {
                Issue.record("\(uri): a generalised feature is a point with a distance: \(f.encoded().prefix(300))")
                continue
            }
            let published = FixtureShapes.metres(asked, Position(x: coordinates[0], y: coordinates[1]))
            #expect(abs(d - published) <= 0.01 * published + 1, "\(uri): \(d) m is not from the published position (\(published) m)")
            if let truth = restricted.first(where: { $0.id == f["id"]?.stringValue }),
               let centre = truth.geometry.boundingBox?.center, FixtureShapes.metres(asked, centre) < 1 {
                #expect(d > 900, "\(uri): asked at its true position, a restricted site is \(d) m away")
            }
            checked += 1
        }
        return checked
    }
}
