import Foundation
import Geometry
import Testing

/// Inputs that once gave a wrong answer without a word, run as a user runs them: each is now
/// an error (exit 2, one line naming the problem) or the right answer, checked against an
/// independent oracle (GDAL's `ogrinfo` over the same store, `projinfo`, a densified geodesic
/// ring, the closed form of the ellipsoid's area).
@Suite struct SilentAnswersCommandTests {
    typealias Folder = TestFolder

    private func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// One line on stderr, exit 2, nothing on stdout.
    private func expectRefused(_ result: CommandResult, saying words: [String], _ what: String) {
        #expect(result.status == 2, "\(what): \(result.stderr)")
        let lines = result.stderr.split(whereSeparator: \.isNewline)
        #expect(lines.count == 1, "\(what): \(result.stderr)")
        for word in words { #expect(result.stderr.contains(word), "\(what): \(result.stderr)") }
        #expect(result.stdout.isEmpty, "\(what): \(result.stdout)")
    }

    // MARK: CSV rows misaligned with their header

    @Test func misalignedCSVRowsAreReportedWithTheirLineAndRefusedUnderStrict() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        // Line 3 has a decimal comma that split its longitude; line 5 lost its latitude.
        let csv = try folder.write("fosas.csv", "name,lon,lat\nok,51.5,35.6\na,44,5,33\n\"quoted,\nname\",10,20\nshort,12\n")
        let report = folder.path("report.json")
        let lenient = try GraveAtlasCommand.run(["import", store, csv, "--report", report])
        #expect(lenient.status == 0, "\(lenient.stderr)")
        #expect(lenient.stderr.contains("misaligned"))
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let entries = (object?["entries"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "misaligned" }
        let details = entries.compactMap { $0["detail"] as? String }
        // Every misaligned row, by its line in the file (the quoted name spans lines 4–5).
        #expect(details.count == 2, "\(details)")
        #expect(details.first?.hasPrefix("line 3 has 4 fields under a header of 3") == true, "\(details)")
        #expect(details.last?.hasPrefix("line 6 has 2 fields under a header of 3") == true, "\(details)")
        #expect(entries.compactMap { $0["record"] as? Int } == [2, 4])

        let strictStore = folder.path("strict.gpkg")
        #expect(try GraveAtlasCommand.run(["init", strictStore]).status == 0)
        let strict = try GraveAtlasCommand.run(["import", strictStore, csv, "--strict"])
        expectRefused(strict, saying: ["fosas.csv", "record 2", "line 3 has 4 fields under a header of 3"], "--strict")
        let stats = try json(try GraveAtlasCommand.run(["stats", strictStore, "--format", "json"]).stdout)
        #expect(stats["sites"] as? Int == 0, "a refused import leaves the store as it was")

        // A well-formed file is not remarked on, and passes --strict.
        let aligned = try folder.write("aligned.csv", "name,lon,lat\nok,51.5,35.6\n\"a, b\",44.5,33\n")
        let clean = try GraveAtlasCommand.run(["import", strictStore, aligned, "--strict"])
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!clean.stderr.contains("misaligned"))
    }

    // MARK: query within: wide areas, the world, a pole

    /// A store holding a point every 15° of latitude and 20° of longitude, poles and both
    /// sides of the antimeridian included, plus points at ±175°.
    private func gridStore(_ folder: Folder) throws -> String {
        var csv = "name,lon,lat\n"
        for lat in stride(from: -90, through: 90, by: 15) {
            for lon in stride(from: -180, through: 180, by: 20) + [-175, 175] { csv += "p\(lon)_\(lat),\(lon),\(lat)\n" }
        }
        let store = folder.path("grid.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let imported = try GraveAtlasCommand.run(["import", store, try folder.write("grid.csv", csv)])
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    private func polygonFile(_ folder: Folder, _ name: String, _ ring: [(Double, Double)]) throws -> String {
        let coordinates = ring.map { "[\($0.0),\($0.1)]" }.joined(separator: ",")
        return try folder.write(name, #"{"type":"Polygon","coordinates":[[\#(coordinates)]]}"#)
    }

    /// Site names `query within` finds (every audience's view is exact at internal).
    private func within(_ store: String, _ area: String) throws -> Set<String> {
        let result = try GraveAtlasCommand.run(["query", "within", store, "--area", area, "--audience", "internal", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(whereSeparator: \.isNewline).dropFirst()
        let header = result.stdout.split(whereSeparator: \.isNewline).first.map { $0.split(separator: ",").map(String.init) } ?? []
        let column = try #require(header.firstIndex(of: "name"))
        return Set(rows.map { String($0.split(separator: ",", omittingEmptySubsequences: false)[column]) })
    }

    /// The oracle: GDAL reads the same store and counts the sites in the box (`-spat`), for
    /// points exactly the sites inside or on the edge of a box area.
    private func gdalCount(_ store: String, _ box: (Double, Double, Double, Double)) throws -> Int {
        let result = try runProgram("/usr/bin/ogrinfo", ["-ro", "-so", "-spat", "\(box.0)", "\(box.1)", "\(box.2)", "\(box.3)", store, "sites"])
        let line = try #require(result.stdout.split(whereSeparator: \.isNewline).first { $0.hasPrefix("Feature Count:") })
        return try #require(Int(line.split(separator: " ").last ?? ""))
    }

    @Test func theWorldAWideBoxAndAPolarCapFindWhatGDALFinds() throws {
        let folder = try Folder()
        let store = try gridStore(folder)
        let cases: [(String, (Double, Double, Double, Double))] = [
            ("world", (-180, -90, 180, 90)),
            ("wide", (-170, -10, 170, 10)),
            ("north", (-180, 80, 180, 90)),
            ("south", (-180, -90, 180, -60)),
        ]
        for (name, b) in cases {
            let area = try polygonFile(folder, "\(name).geojson", [(b.0, b.1), (b.2, b.1), (b.2, b.3), (b.0, b.3), (b.0, b.1)])
            let found = try within(store, area)
            #expect(found.count == (try gdalCount(store, b)), "\(name)")
            #expect(found.count > 0, "\(name)")
            // Brute force over the names: a site is inside when its coordinates are in the box.
            let expected = found.filter { label in
                let parts = label.dropFirst().split(separator: "_").compactMap { Double($0) }
                return parts.count == 2 && (b.0...b.2).contains(parts[0]) && (b.1...b.3).contains(parts[1])
            }
            #expect(found == expected, "\(name)")
        }
        // The wide box is wide: it holds 0°, not ±175°.
        let wide = try within(store, folder.path("wide.geojson"))
        #expect(wide.contains("p0_0") && !wide.contains("p175_0") && !wide.contains("p-175_0"))
    }

    @Test func anAreaAcrossTheAntimeridianIsTwoPolygons() throws {
        let folder = try Folder()
        let store = try gridStore(folder)
        let area = try folder.write("across.geojson", """
            {"type":"MultiPolygon","coordinates":[[[[170,-10],[180,-10],[180,10],[170,10],[170,-10]]],
             [[[-180,-10],[-170,-10],[-170,10],[-180,10],[-180,-10]]]]}
            """)
        let found = try within(store, area)
        let expected = try gdalCount(store, (170, -10, 180, 10)) + (try gdalCount(store, (-180, -10, -170, 10)))
        #expect(found.count == expected && found.contains("p175_0") && found.contains("p-175_0") && !found.contains("p0_0"))
    }

    @Test func aSelfCrossingAreaIsRefusedWithTheFileAndReason() throws {
        let folder = try Folder()
        let store = try gridStore(folder)
        let bowtie = try polygonFile(folder, "bowtie.geojson", [(0, 0), (20, 20), (20, 0), (0, 20), (0, 0)])
        let crossing = try polygonFile(folder, "crossing.geojson", [(0, 0), (20, 0), (20, 20), (10, -10), (0, 20), (0, 0)])
        let multi = try folder.write("multi.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[30,0],[40,0],[40,10],[30,10],[30,0]]]}},
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,0],[20,20],[20,0],[0,20],[0,0]]]}}]}
            """)
        for (file, name, words) in [(bowtie, "bowtie.geojson", ["polygon 1", "Self-intersection at 10.0 10.0"]),
                                    (crossing, "crossing.geojson", ["polygon 1", "Self-intersection at "]),
                                    (multi, "multi.geojson", ["polygon 2", "Self-intersection at 10.0 10.0"])] {
            for command in [["query", "within", store, "--area", file], ["query", "overlaps", store, "--area", file]] {
                expectRefused(try GraveAtlasCommand.run(command),
                              saying: [name] + words + ["is not a valid polygon", "geo validate"], "\(command[1]) \(name)")
            }
        }
        // A valid area of two features, one over the other, is their union.
        let overlapping = try folder.write("overlapping.geojson", """
            {"type":"FeatureCollection","features":[
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[-25,-20],[25,-20],[25,20],[-25,20],[-25,-20]]]}},
             {"type":"Feature","properties":{},"geometry":{"type":"Polygon","coordinates":[[[0,-20],[45,-20],[45,20],[0,20],[0,-20]]]}}]}
            """)
        #expect(try within(store, overlapping).count == (try gdalCount(store, (-25, -20, 45, 20))))
    }

    // MARK: out-of-range coordinates

    @Test func outOfRangeCoordinatesAreRefused() throws {
        let folder = try Folder()
        let store = try gridStore(folder)
        let high = try polygonFile(folder, "high.geojson", [(0, 0), (10, 0), (10, 100), (0, 100), (0, 0)])
        expectRefused(try GraveAtlasCommand.run(["query", "within", store, "--area", high]),
                      saying: ["high.geojson", "(10.0, 100.0) is not a longitude/latitude", "latitude"], "within")
        let huge = try polygonFile(folder, "huge.geojson", [(0, 0), (1e308, 0), (1e308, 1), (0, 1), (0, 0)])
        expectRefused(try GraveAtlasCommand.run(["query", "within", store, "--area", huge]),
                      saying: ["huge.geojson", "is not a longitude/latitude", "longitude"], "within 1e308")
        expectRefused(try GraveAtlasCommand.run(["geo", "measure", "POINT (0 100)"]),
                      saying: ["geometry", "(0.0, 100.0) is not a longitude/latitude"], "measure")
        expectRefused(try GraveAtlasCommand.run(["geo", "distance", "POINT (0 1e308)", "POINT (0 0)"]),
                      saying: ["first geometry", "is not a longitude/latitude"], "distance")
        expectRefused(try GraveAtlasCommand.run(["geo", "distance", "POINT (0 0)", "POINT (190 0)"]),
                      saying: ["second geometry", "longitude must be within"], "distance")
        // The edges of the range are accepted.
        let edge = try GraveAtlasCommand.run(["geo", "distance", "POINT (-180 -90)", "POINT (180 90)"])
        #expect(edge.status == 0, "\(edge.stderr)")
        let metres = try #require(try json(edge.stdout)["distance_m"] as? Double)
        let oracle = try runProgram("/usr/bin/geod", ["-I", "+ellps=WGS84", "-f", "%.6f"], stdin: "-90 -180 90 180\n")
        let expected = try #require(oracle.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }.last)
        #expect(abs(metres - expected) < 1e-3)
    }

    // MARK: geo measure of the world, a polar cap, a bowtie

    /// The ellipsoid's area in closed form, 4π·R², R the authalic radius (Snyder eq. 3-13).
    static let wgs84Area: Double = {
        let a = 6_378_137.0, f = 1 / 298.257223563
        let e2 = f * (2 - f), e = e2.squareRoot()
        let authalic2 = a * a / 2 * (1 + (1 - e2) / (2 * e) * log((1 + e) / (1 - e)))
        return 4 * Double.pi * authalic2
    }()

    @Test func theWorldPolygonMeasuresTheEllipsoid() throws {
        for ring in ["(-180 -90, 180 -90, 180 90, -180 90, -180 -90)", "(-180 -90, -180 90, 180 90, 180 -90, -180 -90)"] {
            let result = try GraveAtlasCommand.run(["geo", "measure", "POLYGON (\(ring))"])
            #expect(result.status == 0, "\(result.stderr)")
            let area = try #require(try json(result.stdout)["area_m2"] as? Double)
            #expect(abs(area - Self.wgs84Area) < 1e-9 * Self.wgs84Area, "\(area) vs \(Self.wgs84Area)")
        }
    }

    @Test func aPolarCapMeasuresWhatADensifiedGeodesicRingMeasures() throws {
        let result = try GraveAtlasCommand.run(["geo", "measure", "POLYGON ((-180 80, 180 80, 180 90, -180 90, -180 80))"])
        #expect(result.status == 0, "\(result.stderr)")
        let area = try #require(try json(result.stdout)["area_m2"] as? Double)
        // GeographicLib's geodesic area (PROJ's geod_polygonarea) of the same cap drawn as a ring
        // of 36 000 geodesic edges round the pole, each 0.01° of longitude.
        var ring = (-18000..<18000).map { Position(x: Double($0) / 100, y: 80) }
        ring.append(ring[0])
        let expected = Geodesic.wgs84.area(of: .polygon(try Polygon(rings: [ring])))
        #expect(abs(area - expected) < 1e-6 * expected, "\(area) vs \(expected)")
    }

    @Test func aBowtieIsRefusedAsInvalid() throws {
        let result = try GraveAtlasCommand.run(["geo", "measure", "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"])
        expectRefused(result, saying: ["the polygon is invalid", "Self-intersection", "geo validate"], "bowtie")
        // Its repair, as `geo validate` gives it, measures the two lobes.
        let validate = try json(try GraveAtlasCommand.run(["geo", "validate", "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"]).stdout)
        let repaired = try #require(validate["repaired"] as? String)
        let measured = try GraveAtlasCommand.run(["geo", "measure", repaired])
        #expect(measured.status == 0, "\(measured.stderr)")
        #expect((try json(measured.stdout)["area_m2"] as? Double ?? 0) > 2.4e10)
    }

    // MARK: geo transform to a CRS that is not horizontal

    @Test func aVerticalCRSIsRefusedAsPROJDescribesIt() throws {
        let kind = try runProgram("/usr/bin/projinfo", ["-o", "PROJJSON", "--single-line", "-q", "EPSG:5773"])
        #expect(kind.stdout.contains(#""type":"VerticalCRS""#), "\(kind.stdout)")
        let to = try GraveAtlasCommand.run(["geo", "transform", "--from", "EPSG:4326", "--to", "EPSG:5773", "POINT (51.389 35.689)"])
        expectRefused(to, saying: ["EPSG:5773", "vertical"], "--to")
        let from = try GraveAtlasCommand.run(["geo", "transform", "--from", "EPSG:5773", "--to", "EPSG:4326", "POINT (51.389 35.689)"])
        expectRefused(from, saying: ["EPSG:5773", "vertical"], "--from")
        // A projected system, as projinfo names it, still transforms.
        let projected = try runProgram("/usr/bin/projinfo", ["-o", "PROJJSON", "--single-line", "-q", "EPSG:32639"])
        #expect(projected.stdout.contains(#""type":"ProjectedCRS""#))
        #expect(try GraveAtlasCommand.run(["geo", "transform", "--from", "EPSG:4326", "--to", "EPSG:32639", "POINT (51.389 35.689)"]).status == 0)
    }
}
