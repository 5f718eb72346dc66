import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// Every route of OGC API – Features Core, through the router (no socket), over a real store;
/// `graveatlas export geojson` of the same store (Export's API, as the command runs it) is the
/// oracle for what each audience gets.
@Suite struct FeaturesRouteTests {
    static let json: HTTPFields = [.accept: "application/json"]

    /// The feature as the export wrote it, compared with the server's: the same members, the
    /// server's `events` (and item `links`) aside.
    static func withoutServerMembers(_ f: JSONValue) -> JSONValue {
        guard case var .object(o) = f else { return f }
        o.members.removeAll { $0.key == "links" }
        if case var .object(p)? = o["properties"] {
            p.members.removeAll { $0.key == "events" }
            if let i = o.members.firstIndex(where: { $0.key == "properties" }) { o.members[i].value = .object(p) }
        }
        return .object(o)
    }

    @Test func landingPageAnswersJSONToGDALAndHTMLToABrowser() async throws {
        let fixture = try ServeFixture.make("landing", publicCount: 5, restricted: 2, confidential: 2)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let json = try await get("/", Self.json)
            #expect(json.status == 200 && json.contentType.hasPrefix("application/json"))
            let links = json.json?["links"]?.arrayValue ?? []
            let rels = Dictionary(links.map { ($0["rel"]?.stringValue ?? "", $0["href"]?.stringValue ?? "") }, uniquingKeysWith: { a, _ in a })
            #expect(rels["self"] == RouterHarness.base + "/")
            #expect(rels["service-desc"] == RouterHarness.base + "/api")
            #expect(rels["conformance"] == RouterHarness.base + "/conformance")
            #expect(rels["data"] == RouterHarness.base + "/collections")
            let html = try await get("/", [.accept: "text/html,application/xhtml+xml"])
            #expect(html.status == 200 && html.contentType.hasPrefix("text/html") && html.text.contains("<html"))
            #expect(try await get("/?f=json", [.accept: "text/html"]).json?["links"] != nil)
            #expect(try await get("/?f=html", Self.json).contentType.hasPrefix("text/html"))
        }
    }

    @Test func conformanceNamesCoreGeoJSONAndOpenAPI() async throws {
        let fixture = try ServeFixture.make("conformance", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let classes = try await get("/conformance", Self.json).json?["conformsTo"]?.arrayValue?.compactMap(\.stringValue) ?? []
            for c in ["core", "geojson", "oas30"] {
                #expect(classes.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/\(c)"))
            }
        }
    }

    @Test func apiIsAValidOpenAPIDocument() async throws {
        let fixture = try ServeFixture.make("api", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let api = try await get("/api", Self.json)
            #expect(api.status == 200 && api.contentType.contains("openapi"))
            let path = fixture.folder + "/api.json"
            try Data(api.text.utf8).write(to: URL(fileURLWithPath: path))
            // openapi-spec-validator (PyPI) is the oracle: it exits non-zero on an invalid document.
            let out = try await offThePool {
                try Subprocess.run(["python3", "-c", """
                    import json, sys
                    from openapi_spec_validator import validate
                    validate(json.load(open(sys.argv[1])))
                    print("valid")
                    """, path])
            }
            #expect(out.contains("valid"))
            let paths = api.json?["paths"]?.objectValue?.keys ?? []
            #expect(Set(paths) == ["/", "/conformance", "/api", "/collections", "/collections/{collectionId}",
                                   "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}",
                                   "/healthz", "/metrics", "/query/near", "/query/nearest", "/query/within", "/query/overlaps", "/search",
                                   "/tiles/{z}/{x}/{y}.mvt", "/tiles.json", "/style.json"])
        }
    }

    @Test(arguments: [Audience.public, .partner, .internal])
    func itemsPageThroughWhatTheExportWritesInItsOrder(_ audience: Audience) async throws {
        let fixture = try ServeFixture.make("items-\(audience)")
        defer { fixture.remove() }
        let export = try fixture.export(audience)
        let expected = export["features"]?.arrayValue ?? []
        let tokens = try TokenFixture.file(in: fixture.folder)
        var asked = Self.json
        if audience != .public { asked[.authorization] = "Bearer " + tokens.token(audience) }
        let headers = asked
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            let all = try await RouterHarness.pages(get, query: "limit=7", headers: headers)
            #expect(all.features.count == expected.count)
            #expect(all.pages == (expected.count + 6) / 7, "7 a page, no empty last page")
            #expect(Set(all.matched) == [expected.count], "every page says how many match")
            for (served, written) in zip(all.features, expected) {
                #expect(Self.withoutServerMembers(served) == written, "\(served["id"]?.stringValue ?? "?")")
            }
            // The default page is 100 features.
            let first = try await get("/collections/sites/items", headers).json
            #expect(first?["numberReturned"]?.intValue == min(100, expected.count))
            #expect(first?["features"]?.arrayValue?.count == min(100, expected.count))
        }
    }

    @Test func theNextCursorIsThePublishedCellAndASaltedHashNothingElse() async throws {
        let fixture = try ServeFixture.make("cursor")
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let all = try await RouterHarness.pages(get, query: "limit=5", headers: Self.json)
            let ids = Set(fixture.sites.map(\.id))
            #expect(all.cursors.count == all.pages - 1)
            for (k, cursor) in all.cursors.enumerated() {
                let parts = cursor.split(separator: "_")
                #expect(parts.count == 3 && !ids.contains { cursor.contains($0) })
                // The cell in the cursor is the cell of the last feature shown on the page.
                let last = all.features[(k + 1) * 5 - 1]
                let box = try Geometry(geoJSON: last["geometry"] ?? .null).boundingBox
                let column = Int64(((box?.center.x ?? 0) / 0.1).rounded(.down)), row = Int64(((box?.center.y ?? 0) / 0.1).rounded(.down))
                #expect(parts.first.flatMap { Int64($0) } == row && parts.dropFirst().first.flatMap { Int64($0) } == column)
            }
        }
    }

    static func property(_ f: JSONValue, _ key: String) -> String? { f["properties"]?[key]?.stringValue }

    /// The dated events of a served feature, as (first day, last day).
    static func events(_ f: JSONValue) -> [(String, String)] {
        (f["properties"]?["events"]?.arrayValue ?? []).compactMap { e in
            e["date_from"]?.stringValue.flatMap { from in e["date_to"]?.stringValue.map { (from, $0) } }
        }
    }

    static func inBox(_ f: JSONValue) -> Bool {
        let box = BoundingBox(minX: 51.2, minY: 35.5, maxX: 51.5, maxY: 35.8)
        return ((try? Geometry(geoJSON: f["geometry"] ?? .null))?.boundingBox).map { $0.intersects(box) } ?? false
    }

    /// The served answer to `query` (paged 3 at a time) against the whole layer filtered by `keep`.
    static func check(_ get: RouterHarness.Get, _ everything: [JSONValue], _ query: String,
                      _ keep: @Sendable (JSONValue) -> Bool) async throws {
        let served = try await RouterHarness.pages(get, query: query + "&limit=3", headers: Self.json)
        let expected = everything.filter(keep)
        #expect(served.features.map { $0["id"] } == expected.map { $0["id"] }, "\(query)")
        #expect(Set(served.matched) == [expected.count], "\(query): numberMatched")
    }

    @Test func filtersAnswerWhatFilteringTheWholeLayerGives() async throws {
        let fixture = try ServeFixture.make("filters")
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let everything = try await RouterHarness.pages(get, query: "limit=1000", headers: Self.json).features
            try await Self.check(get, everything, "type=mass_grave") { Self.property($0, "site_type") == "mass_grave" }
            try await Self.check(get, everything, "status=reported&condition=destroyed") { Self.property($0, "condition") == "destroyed" }
            try await Self.check(get, everything, "bbox=51.2,35.5,51.5,35.8", Self.inBox)
            try await Self.check(get, everything, "datetime=2019-06-10T12:00:00Z") { f in
                Self.events(f).contains { $0.0 <= "2019-06-10" && $0.1 >= "2019-06-10" }
            }
            try await Self.check(get, everything, "datetime=2016-01-01/..") { f in Self.events(f).contains { $0.1 >= "2016-01-01" } }
            try await Self.check(get, everything, "datetime=../2015-12-31") { f in Self.events(f).contains { $0.0 <= "2015-12-31" } }
            #expect(everything.contains { !Self.events($0).isEmpty }, "the fixture has dated events")
        }
    }

    @Test func oneItemIsTheExportsFeatureAndUnknownOrWithheldAreTheSame404() async throws {
        let fixture = try ServeFixture.make("item", publicCount: 8, restricted: 4, confidential: 4)
        defer { fixture.remove() }
        let export = try fixture.export(.public)
        let written = Dictionary((export["features"]?.arrayValue ?? []).map { ($0["id"]?.stringValue ?? "", $0) },
                                 uniquingKeysWith: { a, _ in a })
        try await RouterHarness.run(store: fixture.storePath) { get in
            for site in fixture.sites {
                let answer = try await get("/collections/sites/items/\(site.id)", Self.json)
                if site.sensitivity == .confidential {
                    #expect(answer.status == 404)
                    #expect(answer.json?["code"]?.stringValue == "NotFound")
                    let unknown = UUID().uuidString
                    let other = try await get("/collections/sites/items/\(unknown)", Self.json)
                    #expect(other.status == 404)
                    #expect(other.text == answer.text, "a withheld site answers as an unknown one")
                    continue
                }
                #expect(answer.status == 200 && answer.contentType == "application/geo+json")
                let feature = try #require(answer.json)
                #expect(Self.withoutServerMembers(feature) == written[site.id], "\(site.id)")
                #expect(feature["links"]?.arrayValue?.count == 2)
                if site.sensitivity == .restricted {
                    #expect(feature["properties"]?["generalised"]?.boolValue == true && feature["properties"]?["events"] == nil)
                }
            }
            #expect(try await get("/collections/sites/items/not-a-uuid", Self.json).status == 404)
            #expect(try await get("/collections/sites/items/\(fixture.sites[0].id.lowercased())", Self.json).status == 200)
        }
    }

    /// An event's sources in a feature: those the audience may see as they are (public ones at
    /// public; restricted ones too for a partner; every one inside), with their title and
    /// reference and never an evidence file's hash.
    @Test func eventsCiteTheSourcesTheAudienceMaySee() async throws {
        let fixture = try ServeFixture.make("sources")
        defer { fixture.remove() }
        let site = try #require(fixture.sites.first { $0.sensitivity == .public })
        let siteID = try #require(UUID(uuidString: site.id))
        let open = Source(type: .document, title: "OPEN-REPORT", reference: "https://example.org/report", sensitivity: .public)
        let partner = Source(type: .testimony, title: "PARTNER-TESTIMONY", sha256: String(repeating: "ab", count: 32),
                             sensitivity: .restricted)
        let team = Source(type: .testimony, title: "TEAM-TESTIMONY", sensitivity: .confidential)
        let store = try SiteStore(path: fixture.storePath)
        for source in [open, partner, team] { try store.insert(source) }
        try store.insert(SiteEvent(site: siteID, type: .damaged, date: try PartialDate(parsing: "2003/2017"),
                                   sources: [open.id, partner.id, team.id]))
        try store.close()
        let tokens = try TokenFixture.file(in: fixture.folder)
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            for (audience, titles) in [(Audience.public, ["OPEN-REPORT"]), (.partner, ["OPEN-REPORT", "PARTNER-TESTIMONY"]),
                                       (.internal, ["OPEN-REPORT", "PARTNER-TESTIMONY", "TEAM-TESTIMONY"])] {
                var headers = Self.json
                if audience != .public { headers[.authorization] = "Bearer " + tokens.token(audience) }
                let answer = try await get("/collections/sites/items/" + site.id.lowercased(), headers)
                let events = answer.json?["properties"]?["events"]?.arrayValue ?? []
                let damaged = try #require(events.first { $0["type"]?.stringValue == "damaged" }, "\(audience): \(answer.text)")
                let cited = damaged["sources"]?.arrayValue ?? []
                #expect(cited.compactMap { $0["title"]?.stringValue } == titles, "\(audience)")
                #expect(cited.first?["reference"]?.stringValue == "https://example.org/report")
                #expect(!answer.text.contains(String(repeating: "ab", count: 32)), "\(audience): an evidence hash is shown")
            }
        }
    }

    @Test func collectionsGiveTheExtentEachAudienceSees() async throws {
        let fixture = try ServeFixture.make("extent")
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            for audience in Audience.allCases {
                var headers = Self.json
                if audience != .public { headers[.authorization] = "Bearer " + tokens.token(audience) }
                let export = try fixture.export(audience)
                let expected = export["bbox"]?.arrayValue?.compactMap(\.doubleValue) ?? []
                let collection = try await get("/collections/sites", headers).json
                let served = collection?["extent"]?["spatial"]?["bbox"]?[0]?.arrayValue?.compactMap(\.doubleValue) ?? []
                #expect(served.count == 4 && zip(served, expected).allSatisfy { abs($0 - $1) < 1e-6 }, "\(audience): \(served) vs \(expected)")
                #expect(collection?["crs"]?[0]?.stringValue == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
                let interval = collection?["extent"]?["temporal"]?["interval"]?[0]?.arrayValue ?? []
                #expect(interval.count == 2 && interval[0].stringValue?.hasSuffix("Z") == true)
                let list = try await get("/collections", headers).json
                #expect(list?["collections"]?[0]?["id"]?.stringValue == "sites")
                #expect(list?["collections"]?[0]?["extent"] == collection?["extent"])
            }
        }
    }

    @Test func anImportCommittedWhileServingShowsInTheNextRequest() async throws {
        let fixture = try ServeFixture.make("live", publicCount: 6, restricted: 0, confidential: 0)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let before = try await get("/collections/sites/items", Self.json).json?["numberMatched"]?.intValue
            let writer = try SiteStore(path: fixture.storePath)
            try writer.insert(Site(geometry: .point(try Point(x: 51.4, y: 35.7)), name: "ADDED", type: .massGrave,
                                   status: .reported, sensitivity: .public))
            try writer.close()
            let after = try await get("/collections/sites/items", Self.json)
            #expect(after.json?["numberMatched"]?.intValue == (before ?? 0) + 1)
            #expect(after.text.contains("ADDED"))
        }
    }
}

/// A store that had no published-order salt when the server first answered, and got one from a
/// writer later (unaudited, so the change mark does not move): the server's order follows it.
@Suite struct PublishedOrderSaltTests {
    @Test func theOrderFollowsASaltMadeWhileServing() async throws {
        let fixture = try ServeFixture.make("salt", publicCount: 30, restricted: 0, confidential: 0)
        defer { fixture.remove() }
        _ = try runSQLite(fixture.storePath, "DELETE FROM store_metadata WHERE key = 'order_salt'")
        try await RouterHarness.run(store: fixture.storePath) { get in
            let unsalted = try await RouterHarness.pages(get, query: "limit=100", headers: FeaturesRouteTests.json).features
            let writer = try SiteStore(path: fixture.storePath)
            _ = try writer.orderSalt()
            try writer.close()
            let salted = try await RouterHarness.pages(get, query: "limit=100", headers: FeaturesRouteTests.json).features
            let export = try fixture.export(.public)["features"]?.arrayValue ?? []
            #expect(salted.map { $0["id"] } == export.map { $0["id"] }, "the export's order, with the salt")
            #expect(unsalted.map { $0["id"] } != salted.map { $0["id"] }, "the salt changed the order")
        }
    }

    func runSQLite(_ path: String, _ sql: String) throws -> String {
        try Subprocess.run(["sqlite3", path, sql])
    }
}
