import Foundation
import Geometry
import Store
import Testing

/// `init`, `query` and `stats`, run as a user runs them.
@Suite struct StoreCommandTests {
    /// A store with Khavaran (a polygon, Persian name), two points and an overlapping polygon.
    static func makeStore() throws -> (path: String, folder: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("atlas.gpkg").path
        let created = try GraveAtlasCommand.run(["init", path])
        #expect(created.status == 0, "\(created.stderr)")
        let store = try SiteStore(path: path)
        func square(_ lon: Double, _ lat: Double, _ half: Double) throws -> Geometry {
            .polygon(try Polygon(rings: [[
                Position(x: lon - half, y: lat - half), Position(x: lon + half, y: lat - half),
                Position(x: lon + half, y: lat + half), Position(x: lon - half, y: lat + half),
                Position(x: lon - half, y: lat - half),
            ]]))
        }
        try store.insertBatch([
            Site(geometry: try square(51.5485, 35.6000, 0.002), name: "Khavaran", type: .massGrave, status: .corroborated,
                 condition: .builtOver, sensitivity: .public, names: [SiteName(language: "fa", name: "گورستان خاوران")]),
            Site(geometry: try square(51.5500, 35.6000, 0.002), name: "Khavaran east", type: .cemeterySection,
                 status: .reported, sensitivity: .public),
            Site(geometry: .point(try Point(x: 51.60, y: 35.60)), name: "Point, with comma", type: .individualGrave,
                 status: .suspected, sensitivity: .restricted),
            Site(geometry: .point(try Point(x: 48.72, y: 31.30)), name: "Ahvaz", type: .massGrave, status: .reported,
                 sensitivity: .public),
        ])
        try store.close()
        return (path, folder)
    }

    private func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }

    @Test func initRefusesAnExistingFileUnlessForced() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let again = try GraveAtlasCommand.run(["init", path])
        #expect(again.status == 2)
        #expect(again.stderr == "graveatlas: \(path): a file already exists there (use --force to replace it)\n")
        #expect(try GraveAtlasCommand.run(["init", "--force", path]).status == 0)
        let stats = try GraveAtlasCommand.run(["stats", path, "--format", "json"])
        #expect((try json(stats.stdout) as? [String: Any])?["sites"] as? Int == 0)
        let missing = try GraveAtlasCommand.run(["stats", folder.appendingPathComponent("nope.gpkg").path])
        #expect(missing.status == 2 && missing.stderr.contains("no such store"))
    }

    @Test func nearInEveryFormat() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = ["query", "near", path, "--lon", "51.5485", "--lat", "35.6", "--radius", "5000", "--audience", "internal"]
        let csv = try GraveAtlasCommand.run(base + ["--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let lines = csv.stdout.split(whereSeparator: \.isNewline)
        #expect(lines.count == 4)   // header + three sites, no summary line
        #expect(lines[0].hasPrefix("distance_m,id,name,"))
        #expect(lines[1].contains(",Khavaran,") && lines[1].hasPrefix("0,"))
        #expect(lines[3].contains("\"Point, with comma\""))
        // The public sees the restricted point at its cell centre (51.65, 35.65), 7.2 km away: outside.
        let publicCSV = try GraveAtlasCommand.run(Array(base.dropLast(2)) + ["--format", "csv"])
        #expect(publicCSV.status == 0, "\(publicCSV.stderr)")
        #expect(publicCSV.stdout.split(whereSeparator: \.isNewline).count == 3 && !publicCSV.stdout.contains("comma"))

        let geojson = try json(try GraveAtlasCommand.run(base + ["--format", "geojson"]).stdout) as? [String: Any]
        #expect(geojson?["type"] as? String == "FeatureCollection")
        let features = geojson?["features"] as? [[String: Any]] ?? []
        #expect(features.count == 3)
        let first = features.first?["properties"] as? [String: Any]
        #expect(first?["distance_m"] as? Double == 0 && first?["name"] as? String == "Khavaran")
        #expect(first?["id"] as? String == features.first?["id"] as? String)

        let limited = try json(try GraveAtlasCommand.run(base + ["--format", "json", "--limit", "1", "--type", "mass_grave"]).stdout)
        #expect((limited as? [[String: Any]])?.map { $0["name"] as? String } == ["Khavaran"])
        let badType = try GraveAtlasCommand.run(base + ["--type", "grave"])
        #expect(badType.status == 2 && badType.stderr.contains("site_type: 'grave' is not one of"))
    }

    @Test func nearestWithPointsFileTagsEachQuery() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let points = folder.appendingPathComponent("witnesses.csv")
        try "witness,Latitude,Longitude\nA,31.31,48.70\nB,35.6,51.61\n".write(to: points, atomically: true, encoding: .utf8)
        let result = try GraveAtlasCommand.run(
            ["query", "nearest", path, "--points", points.path, "-k", "1", "--format", "json", "--audience", "internal"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = try json(result.stdout) as? [[String: Any]] ?? []
        #expect(rows.map { $0["query_index"] as? Int } == [0, 1])
        #expect(rows.map { $0["name"] as? String } == ["Ahvaz", "Point, with comma"])
        let bad = folder.appendingPathComponent("bad.csv")
        try "name,where\nA,here\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try GraveAtlasCommand.run(["query", "nearest", path, "--points", bad.path])
        #expect(refused.status == 2 && refused.stderr.contains("bad.csv: the header names no longitude"))
    }

    @Test func overlapsSearchWithinAndStats() throws {
        let (path, folder) = try Self.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let overlaps = try json(try GraveAtlasCommand.run(["query", "overlaps", path, "--format", "json"]).stdout) as? [[String: Any]] ?? []
        #expect(overlaps.count == 1)
        let keys = Set(overlaps.first.map { Array($0.keys) } ?? [])
        #expect(keys.isSuperset(of: ["id", "name", "b", "b_name", "overlap_m2", "share_a", "share_b"]))
        let share = overlaps.first?["share_a"] as? Double ?? 0
        #expect(abs(share - 0.625) < 0.01)   // the squares overlap by 0.0025° of their 0.004° width

        let search = try GraveAtlasCommand.run(["query", "search", path, "خاوران", "--format", "csv"])
        #expect(search.status == 0, "\(search.stderr)")
        let searchLines = search.stdout.split(whereSeparator: \.isNewline)
        #expect(searchLines.count == 2 && searchLines[0].contains("name:fa") && searchLines[1].contains("گورستان خاوران"))
        #expect(searchLines[0].hasPrefix("match,id,") && searchLines[1].hasPrefix("name,"))

        // A UTM zone 39N area around Khavaran, declared in the GeoJSON's crs member.
        let centre = try Position(x: 51.5470, y: 35.6).transformed(from: .epsg(4326), to: .epsg(32639))
        let (x, y) = (centre.x, centre.y)
        let area = folder.appendingPathComponent("zone.geojson")
        try """
        {"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32639"}},
         "features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":
         [[[\(x - 50),\(y - 50)],[\(x + 50),\(y - 50)],[\(x + 50),\(y + 50)],[\(x - 50),\(y + 50)],[\(x - 50),\(y - 50)]]]}}]}
        """.write(to: area, atomically: true, encoding: .utf8)
        let within = try GraveAtlasCommand.run(["query", "within", path, "--area", area.path, "--format", "csv"])
        #expect(within.status == 0, "\(within.stderr)")
        #expect(within.stdout.split(whereSeparator: \.isNewline).count == 2 && within.stdout.contains(",Khavaran,"))

        let stats = try json(try GraveAtlasCommand.run(["stats", path, "--format", "json"]).stdout) as? [String: Any]
        #expect(stats?["sites"] as? Int == 4)
        #expect((stats?["site_type"] as? [String: Int])?["mass_grave"] == 2)
    }
}
