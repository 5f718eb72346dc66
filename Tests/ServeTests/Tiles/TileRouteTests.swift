import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// The vector tiles the server cuts on demand are the tiles `export tiles` writes: for each
/// audience, every tile of the export is asked of the router and must come back as the same
/// bytes, and tiles the export does not have must be empty (204). The store mixes what the
/// two ways of cutting treat differently: clusters of hundreds of graves and single sites at
/// low zoom (the summary's cells), areas large enough to be drawn as shapes at low zoom,
/// small ones drawn as points, generalised and confidential sites, and sites west of
/// Greenwich.
@Suite struct TileRouteTests {
    static func store(_ label: String) throws -> ServeFixture {
        let fixture = try ServeFixture.make(label, publicCount: 40, restricted: 20, confidential: 10, west: 8)
        let writer = try SiteStore(path: fixture.storePath)
        defer { try? writer.close() }
        var rng = SplitMix64(seed: 88)
        let conditions: [SiteCondition] = [.destroyed, .builtOver]
        // A cemetery: 300 graves within ~300 m, public and restricted, two conditions.
        for k in 0..<300 {
            let p = Position(x: 51.30 + Double.random(in: -0.003...0.003, using: &rng),
                             y: 35.55 + Double.random(in: -0.0025...0.0025, using: &rng))
            try writer.insert(Site(geometry: .point(try Point(p)), name: "GRAVE-\(k)", type: .massGrave, status: .reported,
                                   condition: k < 200 ? .destroyed : conditions[k % 2],
                                   sensitivity: k % 10 == 0 ? .restricted : .public))
        }
        // An area of ~20 km, a shape from zoom 3 or so on, and a long line.
        let c = Position(x: 51.6, y: 35.8), r = 0.1
        let ring = (0...12).map { k -> Position in
            let a = Double(k % 12) / 12 * 2 * .pi
            return Position(x: c.x + r * cos(a), y: c.y + r * sin(a) * 0.8)
        }
        try writer.insert(Site(geometry: .polygon(try Polygon(rings: [ring])), name: "WIDE-AREA", type: .cemetery,
                               status: .reported, condition: .builtOver, sensitivity: .public))
        return fixture
    }

    @Test(arguments: [Audience.public, .partner, .internal])
    func everyTileIsTheExportsTile(_ audience: Audience) async throws {
        let fixture = try Self.store("tiles-\(audience.rawValue)")
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        let exported = try fixture.exportTiles(audience)
        #expect(exported.count > 300, "the export has tiles at every zoom")
        #expect(Set(exported.keys.compactMap { Int($0.split(separator: "/")[0]) }) == Set(0...14))
        var headers: HTTPFields = [.acceptEncoding: "gzip"]
        if audience != .public { headers[.authorization] = "Bearer \(tokens.token(audience))" }
        let asked = headers
        let (same, differing, empty) = try await Self.compare(fixture, tokens: tokens.path, headers: asked, exported: exported)
        #expect(differing.isEmpty, "tiles that differ from the export's: \(differing.prefix(10))")
        #expect(same == exported.count)
        #expect(empty > 20, "neighbours of the export's tiles that it does not have are empty (204)")
    }

    /// Asks for every exported tile and for the neighbours the export lacks.
    static func compare(_ fixture: ServeFixture, tokens: String, headers: HTTPFields,
                        exported: [String: [UInt8]]) async throws -> (Int, [String], Int) {
        let results = Results()
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens) { get in
            for (path, bytes) in exported.sorted(by: { $0.key < $1.key }) {
                let a = try await get("/tiles/\(path).mvt", headers)
                guard a.status == 200, a.headers[.contentEncoding] == "gzip", let body = try? Gzip.decompress(a.bytes),
                      body == bytes else {
                    await results.differ("\(path): \(a.status)")
                    continue
                }
                await results.same()
            }
            var asked = Set<String>()
            for path in exported.keys.sorted() {
                let p = path.split(separator: "/").compactMap { Int($0) }
                guard p.count == 3, p[0] >= 8 else { continue }
                for (dx, dy) in [(3, 0), (-3, 0), (0, 3), (0, -3)] {
                    let n = "\(p[0])/\(p[1] + dx)/\(p[2] + dy)"
                    guard exported[n] == nil, asked.insert(n).inserted else { continue }
                    let a = try await get("/tiles/\(n).mvt", headers)
                    if a.status == 204, a.bytes.isEmpty { await results.empty() } else { await results.differ("\(n): \(a.status), not empty") }
                }
            }
        }
        return await (results.sameCount, results.differing, results.emptyCount)
    }

    @Test func headersSayWhoMayKeepATileAndForHowLong() async throws {
        let fixture = try Self.store("tile-headers")
        defer { fixture.remove() }
        let tokens = try TokenFixture.file(in: fixture.folder)
        // The zoom-9 tile of the cemetery: public graves, drawn for every audience.
        let tile = "\(TileCoordinate(containing: Position(x: 51.30, y: 35.55), zoom: 9))"
        #expect(try fixture.exportTiles(.public)[tile] != nil)
        try await RouterHarness.run(store: fixture.storePath, tokens: tokens.path) { get in
            let gz: HTTPFields = [.acceptEncoding: "gzip, deflate"]
            let first = try await get("/tiles/\(tile).mvt", gz)
            #expect(first.status == 200)
            #expect(first.headers[.contentType] == "application/vnd.mapbox-vector-tile")
            #expect(first.headers[.cacheControl]?.hasPrefix("public") == true)
            #expect(first.headers[.vary]?.contains("Authorization") == true)
            let etag = try #require(first.headers[.eTag])
            #expect(etag.hasPrefix("\"") && etag.hasSuffix("\""))

            // Revalidation: the same ETag gives 304 with no body; another gives the tile.
            let again = try await get("/tiles/\(tile).mvt", [.acceptEncoding: "gzip", .ifNoneMatch: etag])
            #expect(again.status == 304 && again.bytes.isEmpty && again.headers[.eTag] == etag)
            let other = try await get("/tiles/\(tile).mvt", [.acceptEncoding: "gzip", .ifNoneMatch: "\"t0-x\""])
            #expect(other.status == 200)

            // Without gzip in Accept-Encoding (or with q=0), the same tile uncompressed.
            let plain = try await get("/tiles/\(tile).mvt", [:])
            #expect(plain.status == 200 && plain.headers[.contentEncoding] == nil)
            #expect(try Gzip.decompress(first.bytes) == plain.bytes)
            let refused = try await get("/tiles/\(tile).mvt", [.acceptEncoding: "gzip;q=0, identity"])
            #expect(refused.headers[.contentEncoding] == nil && refused.bytes == plain.bytes)

            // Another audience: private, and another ETag (its tile differs).
            let partner = try await get("/tiles/\(tile).mvt", [.acceptEncoding: "gzip", .authorization: "Bearer \(tokens.token(.partner))"])
            #expect(partner.status == 200)
            #expect(partner.headers[.cacheControl]?.hasPrefix("private") == true)
            #expect(partner.headers[.eTag] != etag)

            // An unknown token is refused, never served as public.
            let unknown = try await get("/tiles/\(tile).mvt", [.authorization: "Bearer nope"])
            #expect(unknown.status == 401)

            // Far from every site: 204, with the ETag and Cache-Control.
            let empty = try await get("/tiles/9/0/0.mvt", gz)
            #expect(empty.status == 204 && empty.bytes.isEmpty && empty.headers[.eTag] != nil)

            // The cache's hits and misses, as /metrics counts them: the first answer was cut, the rest came from the cache.
            let metrics = try await get("/metrics", [.authorization: "Bearer \(tokens.token(.internal))"]).text
            func count(_ name: String) -> Int? {
                metrics.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int(Double($0.split(separator: " ")[1]) ?? -1) }
            }
            #expect((count("graveatlas_tile_cache_misses_total") ?? 0) >= 2, "\(metrics)")
            #expect((count("graveatlas_tile_cache_hits_total") ?? 0) >= 3, "\(metrics)")

            // TileJSON and the style, with absolute URLs and no glyphs.
            let tileJSON = try #require(try await get("/tiles.json", [:]).json)
            #expect(tileJSON["tilejson"]?.stringValue == "3.0.0")
            #expect(tileJSON["tiles"]?[0]?.stringValue == "\(RouterHarness.base)/tiles/{z}/{x}/{y}.mvt")
            #expect(tileJSON["maxzoom"]?.intValue == 14)
            let boundsArray = tileJSON["bounds"]?.arrayValue ?? []
            let bounds = boundsArray.compactMap { $0.doubleValue }
            #expect(bounds.count == 4 && bounds[0] < -3 && bounds[2] > 51, "bounds span Madrid to Tehran: \(bounds)")
            let style = try await get("/style.json", [:])
            #expect(style.json?["sources"]?["sites"]?["url"]?.stringValue == "\(RouterHarness.base)/tiles.json")
            #expect(style.json?["glyphs"] == nil && !style.text.contains("\"symbol\""))
        }
    }

    @Test func badTileAddressesAreRefusedNamingWhatIsWrong() async throws {
        let fixture = try ServeFixture.make("tile-bad", publicCount: 4, restricted: 0, confidential: 0)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            let bad: [(String, Int, String)] = [
                ("/tiles/25/0/0.mvt", 400, "z"), ("/tiles/99999999999/0/0.mvt", 400, "z"), ("/tiles/-1/0/0.mvt", 400, "z"),
                ("/tiles/3/8/0.mvt", 400, "x"), ("/tiles/3/0/8.mvt", 400, "y"), ("/tiles/a/0/0.mvt", 400, "z"),
                ("/tiles/3/1.5/0.mvt", 400, "x"), ("/tiles/3/0/+1.mvt", 400, "y"), ("/tiles/3/0/0x1.mvt", 400, "y"),
                ("/tiles/0/0/0.mvt?x=1", 400, "x"), ("/tiles/15/0/0.mvt", 404, "zoom 14"), ("/tiles/24/0/0.mvt", 404, "zoom 14"),
                ("/tiles/3/0/0.png", 404, "mvt"), ("/tiles/3/0/.mvt", 400, "y"),
            ]
            for (uri, status, names) in bad {
                let a = try await get(uri, [:])
                #expect(a.status == status, "\(uri)")
                #expect(a.json?["description"]?.stringValue?.contains(names) == true, "\(uri): \(a.text)")
            }
            #expect(try await get("/tiles/0/0/0.mvt", [:]).status == 200)
        }
    }

    @Test func aCommittedEditChangesTheETagAndTheTile() async throws {
        let fixture = try ServeFixture.make("tile-live", publicCount: 6, restricted: 0, confidential: 0)
        defer { fixture.remove() }
        try await RouterHarness.run(store: fixture.storePath) { get in
            // Zoom 14 around the new site (R*Tree), and zoom 2 (summary).
            let added = Position(x: 51.4123, y: 35.7012)
            let t14 = TileCoordinate(containing: added, zoom: 14), t2 = TileCoordinate(containing: added, zoom: 2)
            let before14 = try await get("/tiles/\(t14).mvt", [:]), before2 = try await get("/tiles/\(t2).mvt", [:])
            #expect(before14.status == 204)
            let writer = try SiteStore(path: fixture.storePath)
            try writer.insert(Site(geometry: .point(try Point(added)), name: "ADDED-LATER", type: .massGrave,
                                   status: .reported, sensitivity: .public))
            try writer.close()
            let after14 = try await get("/tiles/\(t14).mvt", [:]), after2 = try await get("/tiles/\(t2).mvt", [:])
            #expect(after14.status == 200 && String(decoding: after14.bytes, as: UTF8.self).contains("ADDED-LATER"))
            #expect(after2.headers[.eTag] != before2.headers[.eTag])
            #expect(after2.bytes != before2.bytes, "the low zoom's cluster counts the new site")
            let stale = try await get("/tiles/\(t2).mvt", [.ifNoneMatch: before2.headers[.eTag] ?? ""])
            #expect(stale.status == 200, "an old ETag no longer matches")
        }
    }
}

/// Counts gathered inside the router test's closure.
actor Results {
    var sameCount = 0
    var emptyCount = 0
    var differing: [String] = []
    func same() { sameCount += 1 }
    func empty() { emptyCount += 1 }
    func differ(_ s: String) { differing.append(s) }
}
