import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// `POST /query/within` through the router: the Store API's `within`, in the command's order,
/// is the oracle; the body is one GeoJSON Polygon or MultiPolygon of at most 1 MiB.
@Suite struct QueryWithinRouteTests {
    static func polygon(_ minX: Double, _ minY: Double, _ maxX: Double, _ maxY: Double) -> String {
        #"{"type":"Polygon","coordinates":[[[\#(minX),\#(minY)],[\#(maxX),\#(minY)],[\#(maxX),\#(maxY)],[\#(minX),\#(maxY)],[\#(minX),\#(minY)]]]}"#
    }

    /// The ids `graveatlas query within` lists for the area at public.
    static func expected(_ path: String, _ area: String) throws -> [String] {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        let view = AudienceView(audience: .public, grid: try store.grid())
        let order = PublishedOrder(view: view, storeGrid: try store.grid(), salt: try store.orderSalt())
        guard case let .polygon(p)? = try? Geometry(geoJSON: try JSONValue(parsing: area)),
              let zone = try Geometry.queryArea([p]) else { throw FixtureError("not a polygon: \(area)") }
        var ids: [String] = []
        _ = try store.within(zone, audience: view, orderedBy: { order.key(for: $0.site) }) { ids.append($0.site.id.uuidString) }
        return ids
    }

    @Test func withinAnswersWhatTheStoreFindsInThePublishedOrder() async throws {
        let fixture = try ServeFixture.make("within", publicCount: 20, restricted: 10, confidential: 8, west: 10)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { post, get in
            for area in [Self.polygon(51.0, 35.4, 51.8, 36.0), Self.polygon(-3.9, 40.3, -3.5, 40.6), Self.polygon(-180, -90, 180, 90),
                         Self.polygon(51.3, 35.5, 51.5, 35.8), Self.polygon(48.0, 31.0, 49.0, 32.0)] {
                let answer = try await post("/query/within", [.contentType: "application/geo+json"], Array(area.utf8))
                #expect(answer.status == 200 && answer.contentType == "application/geo+json", "\(answer.text.prefix(300))")
                let features = answer.json?["features"]?.arrayValue ?? []
                let ids = features.compactMap { $0["id"]?.stringValue }
                #expect(ids == (try Self.expected(fixture.storePath, area)), "\(area)")
                #expect(answer.json?["numberReturned"]?.intValue == ids.count)
                let confidential = Set(fixture.sites.filter { $0.sensitivity == .confidential }.map(\.id))
                #expect(confidential.isDisjoint(with: ids), "no confidential site at public")
                for f in features where fixture.sites.contains(where: { $0.id == f["id"]?.stringValue && $0.sensitivity == .restricted }) {
                    #expect(f["properties"]?["generalised"]?.boolValue == true && f["geometry"]?["type"]?.stringValue == "Point")
                }
            }
            let west = try await post("/query/within?type=mass_grave", [:], Array(Self.polygon(-3.9, 40.3, -3.5, 40.6).utf8))
            let types = (west.json?["features"]?.arrayValue ?? []).map { $0["properties"]?["site_type"]?.stringValue }
            #expect(!types.isEmpty && types.allSatisfy { $0 == "mass_grave" }, "\(west.text.prefix(300))")
            let refused = try await get("/query/within", [:])
            #expect(refused.status == 405 && refused.headers[.allow] == "POST" && refused.json?["code"]?.stringValue == "MethodNotAllowed")
        }
    }

    /// A polygon that is not OGC-valid is refused as `POST /query/overlaps` refuses it, with
    /// GEOS's reason and place; a valid polygon, one with a hole and a multipolygon still answer.
    @Test func aSelfCrossingAreaIsRefusedWithItsReason() async throws {
        let fixture = try ServeFixture.make("within-invalid", publicCount: 20, restricted: 4, confidential: 2, west: 6)
        defer { fixture.remove() }
        let invalid = "body must be a GeoJSON Polygon or MultiPolygon in CRS84: it is not a valid polygon ("
        try await RouterHarness.run(store: fixture.storePath) { post, _ in
            let bad: [(String, String, [String])] = [
                // A bowtie: two lobes meeting at (51.5, 35.5).
                ("bowtie", #"{"type":"Polygon","coordinates":[[[51,35],[52,36],[52,35],[51,36],[51,35]]]}"#, ["Self-intersection at 51.5 35.5"]),
                // A ring whose third edge crosses its first: a box with one corner pulled through the far side.
                ("crossing ring", #"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51.5,34.5],[51,36],[51,35]]]}"#, ["Self-intersection at "]),
                // A valid outer ring whose hole crosses it.
                ("hole across", #"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51,36],[51,35]],[[51.5,35.5],[52.5,35.5],[52.5,35.8],[51.5,35.8],[51.5,35.5]]]}"#, []),
                // A multipolygon with a bowtie as its second part.
                ("multi with bowtie", #"{"type":"MultiPolygon","coordinates":[[[[48,31],[49,31],[49,32],[48,32],[48,31]]],[[[51,35],[52,36],[52,35],[51,36],[51,35]]]]}"#, ["Self-intersection at 51.5 35.5"]),
            ]
            for (name, text, words) in bad {
                let answer = try await post("/query/within", [.contentType: "application/geo+json"], Array(text.utf8))
                #expect(answer.status == 400 && answer.json?["code"]?.stringValue == "InvalidParameterValue", "\(name): \(answer.status) \(answer.text)")
                let description = answer.json?["description"]?.stringValue ?? ""
                #expect(description.hasPrefix(invalid) && description.hasSuffix("; `graveatlas geo validate` gives its repair)"), "\(name): \(description)")
                for word in words { #expect(description.contains(word), "\(name): \(description)") }
                // The same body, posted to overlaps, is refused in the same words.
                let overlaps = try await post("/query/overlaps", [:], Array(text.utf8))
                #expect(overlaps.status == 400 && overlaps.json?["description"]?.stringValue == description, "\(name): \(overlaps.text)")
            }
            // Valid areas still answer what the store finds.
            let box = Self.polygon(51.0, 35.4, 51.8, 36.0)
            let holed = #"{"type":"Polygon","coordinates":[[[51,35.4],[51.8,35.4],[51.8,36],[51,36],[51,35.4]],[[51.3,35.5],[51.5,35.5],[51.5,35.8],[51.3,35.8],[51.3,35.5]]]}"#
            for area in [box, holed] {
                let answer = try await post("/query/within", [:], Array(area.utf8))
                #expect(answer.status == 200, "\(answer.text.prefix(300))")
                let ids = (answer.json?["features"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                #expect(ids == (try Self.expected(fixture.storePath, area)), "\(area)")
            }
            let multi = #"{"type":"MultiPolygon","coordinates":[[[[51,35.4],[51.8,35.4],[51.8,36],[51,36],[51,35.4]]],[[[-3.9,40.3],[-3.5,40.3],[-3.5,40.6],[-3.9,40.6],[-3.9,40.3]]]]}"#
            let answer = try await post("/query/within", [:], Array(multi.utf8))
            #expect(answer.status == 200, "\(answer.text.prefix(300))")
            let ids = (answer.json?["features"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            let expected = try Self.expected(fixture.storePath, box) + (try Self.expected(fixture.storePath, Self.polygon(-3.9, 40.3, -3.5, 40.6)))
            #expect(!ids.isEmpty && ids.count == expected.count && Set(ids) == Set(expected), "\(answer.text.prefix(300))")
        }
    }

    @Test func everyBadBodyIsRefused() async throws {
        let fixture = try ServeFixture.make("within-bad", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let box = Self.polygon(51.0, 35.4, 51.8, 36.0)
        try await RouterHarness.run(store: fixture.storePath) { post, _ in
            let bad: [(String, String)] = [
                ("", "body"), ("not json", "body"), (#"{"type":"Point","coordinates":[51,35]}"#, "body"),
                (#"{"type":"Feature","geometry":null,"properties":{}}"#, "body"),
                (Self.polygon(51, 35, 52, 100), "body"), (Self.polygon(-200, 35, 52, 36), "body"),
                (#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36]]]}"#, "body"),
                (String(repeating: "[", count: 5_000), "body"),
            ]
            for (text, name) in bad {
                let answer = try await post("/query/within", [:], Array(text.utf8))
                #expect(answer.status == 400, "\(text.prefix(80)): \(answer.status) \(answer.text)")
                #expect(answer.json?["description"]?.stringValue?.hasPrefix(name) == true, "\(answer.text)")
            }
            #expect(try await post("/query/within?type=x", [:], Array(box.utf8)).status == 400)
            #expect(try await post("/query/within?bogus=1", [:], Array(box.utf8)).status == 400)
            // 1 MiB is taken; a byte more is 413, whether or not Content-Length says so first.
            let padded = box + String(repeating: " ", count: (1 << 20) - box.utf8.count)
            #expect(try await post("/query/within", [:], Array(padded.utf8)).status == 200)
            let over = try await post("/query/within", [:], Array((padded + " ").utf8))
            #expect(over.status == 413 && over.json?["code"]?.stringValue == "PayloadTooLarge", "\(over.status) \(over.text)")
        }
    }
}
