import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// `POST /query/overlaps` through the router: the Store API's `overlaps(with:)` gives the sites
/// and their order; the shared areas of the sites seen exactly are measured again by shapely
/// (the intersection) and pyproj (its area on the WGS84 ellipsoid); a generalised site is only
/// ever its published cell centre, with figures 0; a bad body is one 400 naming the body.
@Suite struct QueryOverlapsRouteTests {
    static func box(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> String {
        QueryWithinRouteTests.polygon(minX, minY, maxX, maxY)
    }

    /// What the store answers for the area at the audience: ids in order and their `overlap_m2`.
    static func expected(_ path: String, _ area: String, audience: Audience, minOverlap: Double = 1) throws -> [(String, Double)] {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        let view = AudienceView(audience: audience, grid: try store.grid())
        guard case let .polygon(p)? = try? Geometry(geoJSON: try JSONValue(parsing: area)),
              let zone = try Geometry.queryArea([p]) else { throw FixtureError("not a polygon: \(area)") }
        return try store.overlaps(with: zone, minOverlap: minOverlap, audience: view).map { ($0.a.id.uuidString, $0.overlapM2) }
    }

    /// The geodesic area (m²) each site shares with each area, by shapely and pyproj: one line a pair.
    static func oracleAreas(_ pairs: [(area: String, site: String)]) throws -> [Double] {
        let input = pairs.map { #"{"area":\#($0.area),"site":\#($0.site)}"# }.joined(separator: "\n")
        let file = NSTemporaryDirectory() + "ga-overlap-pairs-\(UUID().uuidString).jsonl"
        try Data(input.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let run = try ProgramRun.run("python3", ["-c", """
            import json, sys
            from pyproj import Geod
            from shapely.geometry import shape
            geod = Geod(ellps="WGS84")
            for line in open(sys.argv[1]):
                pair = json.loads(line)
                shared = shape(pair["area"]).intersection(shape(pair["site"]))
                print(repr(abs(geod.geometry_area_perimeter(shared)[0]) if not shared.is_empty else 0.0))
            """, file])
        guard run.status == 0 else { throw FixtureError("the oracle failed: \(run.standardErrorText)") }
        return run.standardOutputText.split(separator: "\n").compactMap { Double($0) }
    }

    @Test(arguments: [Audience.public, .partner])
    func overlapsAnswerWhatTheStoreFindsWithTheAreasShapelyMeasures(_ audience: Audience) async throws {
        let fixture = try ServeFixture.make("overlaps-\(audience)", publicCount: 30, restricted: 15, confidential: 9)
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        var headers: HTTPFields = [.contentType: "application/geo+json"]
        if audience != .public { headers[.authorization] = "Bearer " + tokens.token(audience) }
        let asked = headers
        // Boxes over Tehran, one over Ahvaz (the confidential sites: absent at public, generalised at partner),
        // and for each polygon site a box over its western half (a partial overlap).
        var areas = [Self.box(51.0, 35.4, 51.8, 36.0), Self.box(51.0, 35.4, 51.4, 35.7), Self.box(51.3, 35.5, 51.6, 35.9),
                     Self.box(48.4, 31.1, 49.0, 31.6)]
        for site in fixture.sites where site.geometry.isPolygonal && site.sensitivity != .confidential {
            guard let b = site.geometry.boundingBox else { continue }
            areas.append(Self.box(b.minX - 0.001, b.minY - 0.001, b.center.x, b.maxY + 0.001))
        }
        let truth = Dictionary(fixture.sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let posted = areas
        let collected = Collected()
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { post, get in
            for area in posted {
                let answer = try await post("/query/overlaps", asked, Array(area.utf8))
                #expect(answer.status == 200 && answer.contentType == "application/geo+json", "\(answer.text.prefix(300))")
                await collected.add(area, answer.text)
            }
            let refused = try await get("/query/overlaps", [:])
            #expect(refused.status == 405 && refused.headers[.allow] == "POST" && refused.json?["code"]?.stringValue == "MethodNotAllowed")
            // A min_overlap above every site's area leaves only points (and generalised sites) in.
            let large = try await post("/query/overlaps?min_overlap=1000000000000000", asked, Array(posted[0].utf8))
            let contacts = (large.json?["features"]?.arrayValue ?? []).compactMap { $0["properties"]?["contact"]?.stringValue }
            #expect(large.status == 200 && !contacts.isEmpty && !contacts.contains("overlapping"), "\(large.text.prefix(300))")
            #expect(try Self.expected(fixture.storePath, posted[0], audience: audience, minOverlap: 1e15).count == contacts.count)
        }
        var pairs: [(area: String, site: String)] = []
        var served: [Double] = []
        var generalised = 0
        for (area, text) in await collected.bodies {
            let json = try JSONValue(parsing: text)
            let features = json["features"]?.arrayValue ?? []
            let expected = try Self.expected(fixture.storePath, area, audience: audience)
            #expect(features.compactMap { $0["id"]?.stringValue } == expected.map(\.0), "\(area)")
            #expect(json["numberReturned"]?.intValue == features.count && json["numberMatched"]?.intValue == features.count)
            for (f, (_, m2)) in zip(features, expected) {
                let p = f["properties"]
                #expect(p?["overlap_m2"]?.doubleValue == (m2 * 1000).rounded() / 1000)
                if p?["generalised"]?.boolValue == true {
                    generalised += 1
                    #expect(p?["overlap_m2"]?.doubleValue == 0 && p?["share_site"]?.doubleValue == 0 && p?["share_area"]?.doubleValue == 0
                            && ["inside", "touching"].contains(p?["contact"]?.stringValue ?? "") && f["geometry"]?["type"]?.stringValue == "Point",
                            "a generalised site is its cell centre, figures 0: \(f.encoded().prefix(300))")
                    continue
                }
                guard let id = f["id"]?.stringValue, let site = truth[id] else {
                    Issue.record("a feature of no fixture site: \(f.encoded().prefix(200))")
                    continue
                }
                #expect(site.sensitivity == .public || (audience == .partner && site.sensitivity == .restricted), "\(site.name) at \(audience)")
                if site.geometry.isPolygonal {
                    #expect(p?["contact"]?.stringValue == "overlapping")
                    pairs.append((area, site.geometry.geoJSON()))
                    served.append(p?["overlap_m2"]?.doubleValue ?? -1)
                } else {
                    #expect(p?["overlap_m2"]?.doubleValue == 0 && ["inside", "touching"].contains(p?["contact"]?.stringValue ?? ""))
                }
            }
        }
        let measured = try Self.oracleAreas(pairs)
        #expect(measured.count == pairs.count && pairs.count > 10, "\(pairs.count) overlaps measured")
        for (m2, oracle) in zip(served, measured) {
            #expect(abs(m2 - oracle) <= max(0.01, oracle * 1e-6), "overlap_m2 \(m2), shapely and pyproj \(oracle)")
        }
        #expect(generalised > 0, "generalised sites were answered, at their cell centres")
    }

    /// Asked with a small box at each protected site's true position, and with a restricted
    /// polygon's own outline, the public answer never finds it there: a generalised site is
    /// answered only where its published cell centre is (at least 1 km from its true position in
    /// the fixture, so never in the small box), with figures 0; a confidential one never; no
    /// answer holds a protected position or word (`LeakCheck`).
    @Test func noPublicOverlapAnswerFindsAProtectedSiteWhereItIs() async throws {
        let fixture = try ServeFixture.make("overlaps-leak", publicCount: 20, restricted: 18, confidential: 12)
        defer { fixture.remove() }
        let protected = fixture.sites.filter { $0.sensitivity != .public }
        let confidentialIDs = Set(fixture.sites.filter { $0.sensitivity == .confidential }.map(\.id))
        var asked: [(String, Geometry)] = []
        for site in protected {
            guard let c = site.geometry.boundingBox?.center else { continue }
            let small = try Geometry(geoJSON: try JSONValue(parsing: Self.box(c.x - 0.0005, c.y - 0.0005, c.x + 0.0005, c.y + 0.0005)))
            asked.append(("small box at " + site.name, small))
            if site.geometry.isPolygonal { asked.append(("outline of " + site.name, site.geometry)) }
        }
        asked.append(("world", try Geometry(geoJSON: try JSONValue(parsing: Self.box(-180, -90, 180, 90)))))
        let areas = asked
        let collected = Collected()
        try await RouterHarness.run(store: fixture.storePath) { post, _ in
            for (label, area) in areas {
                let answer = try await post("/query/overlaps?min_overlap=0", [:], Array(area.geoJSON().utf8))
                #expect(answer.status == 200, "\(label): \(answer.status) \(answer.text.prefix(200))")
                await collected.add(label, answer.text)
            }
        }
        let bodies = await collected.bodies
        var generalised = 0
        for ((label, text), (_, area)) in zip(bodies, areas) {
            for f in (try JSONValue(parsing: text))["features"]?.arrayValue ?? [] {
                #expect(!confidentialIDs.contains(f["id"]?.stringValue ?? ""), "\(label): a confidential site")
                guard f["properties"]?["generalised"]?.boolValue == true else { continue }
                generalised += 1
                #expect(f["properties"]?["overlap_m2"]?.doubleValue == 0 && f["properties"]?["share_site"]?.doubleValue == 0)
                let xy = f["geometry"]?["coordinates"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                #expect(!label.hasPrefix("small box"), "\(label): a generalised site answered at a true position: \(f.encoded().prefix(200))")
                // Found by its published cell centre only: that point lies in the posted area.
                if xy.count == 2 {
                    #expect(try area.covers(.point(try Point(Position(x: xy[0], y: xy[1])))), "\(label): \(xy)")
                }
            }
        }
        #expect(generalised >= 10, "the world's box finds the generalised sites at their cell centres")
        let positions = LeakCheck(fixture.sites).expectNothingProtected(in: bodies)
        #expect(positions > 100)
    }

    @Test func everyBadBodyIsOneClearRefusal() async throws {
        let fixture = try ServeFixture.make("overlaps-bad", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let box = Self.box(51.0, 35.4, 51.8, 36.0)
        try await RouterHarness.run(store: fixture.storePath) { post, _ in
            let bad: [(String, String)] = [
                ("", "body must be"), ("not json", "body must be"), (#"{"type":"Point","coordinates":[51,35]}"#, "body must be"),
                (#"{"type":"Feature","geometry":null,"properties":{}}"#, "body must be"),
                (#"{"type":"LineString","coordinates":[[51,35],[52,36]]}"#, "body must be"),
                (Self.box(51, 35, 52, 100), "body must be"), (Self.box(-200, 35, 52, 36), "body must be"),
                (#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36]]]}"#, "body must be"),
                (String(repeating: "[", count: 5_000), "body must be"),
                // A bowtie, and two parts of a MultiPolygon over each other: no area to share.
                (#"{"type":"Polygon","coordinates":[[[51,35],[52,36],[52,35],[51,36],[51,35]]]}"#, "body must be a GeoJSON Polygon or MultiPolygon in CRS84: it is not a valid polygon (Self-intersection at 51.5 35.5"),
                (#"{"type":"MultiPolygon","coordinates":[[[[51,35],[52,35],[52,36],[51,36],[51,35]]],[[[51.5,35.5],[52.5,35.5],[52.5,36.5],[51.5,36.5],[51.5,35.5]]]]}"#,
                 "body must be a GeoJSON Polygon or MultiPolygon in CRS84: it is not a valid polygon"),
            ]
            for (text, start) in bad {
                let answer = try await post("/query/overlaps", [:], Array(text.utf8))
                #expect(answer.status == 400 && answer.json?["code"]?.stringValue == "InvalidParameterValue", "\(text.prefix(80)): \(answer.status) \(answer.text)")
                #expect(answer.json?["description"]?.stringValue?.hasPrefix(start) == true, "\(answer.text)")
            }
            for query in ["min_overlap=-1", "min_overlap=nan", "min_overlap=1e16", "min_overlap=", "min_overlap=0x10"] {
                let answer = try await post("/query/overlaps?" + query, [:], Array(box.utf8))
                #expect(answer.status == 400 && answer.json?["description"]?.stringValue?.hasPrefix("min_overlap must be") == true,
                        "\(query): \(answer.text)")
            }
            #expect(try await post("/query/overlaps?type=x", [:], Array(box.utf8)).status == 400)
            #expect(try await post("/query/overlaps?radius=5", [:], Array(box.utf8)).status == 400)
            // 1 MiB is taken; a byte more is 413.
            let padded = box + String(repeating: " ", count: (1 << 20) - box.utf8.count)
            #expect(try await post("/query/overlaps?min_overlap=0", [:], Array(padded.utf8)).status == 200)
            let over = try await post("/query/overlaps", [:], Array((padded + " ").utf8))
            #expect(over.status == 413 && over.json?["code"]?.stringValue == "PayloadTooLarge", "\(over.status) \(over.text)")
        }
    }
}
