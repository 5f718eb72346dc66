import Foundation
import Testing

/// The `geo` commands, run as a user runs them, checked against PROJ's own tools.
@Suite struct GeoCommandTests {
    private func json(_ text: String) throws -> [String: Any] {
        let value = try JSONSerialization.jsonObject(with: Data(text.utf8))
        return try #require(value as? [String: Any])
    }

    @Test func transformAgreesWithCs2cs() throws {
        let result = try GraveAtlasCommand.run(["geo", "transform", "--from", "EPSG:4326", "--to", "EPSG:32639", "POINT (51.389 35.689)"])
        #expect(result.status == 0, "\(result.stderr)")
        let numbers = result.stdout.split(whereSeparator: { " ()\n".contains($0) }).compactMap { Double($0) }
        let oracle = try runProgram("/usr/bin/cs2cs", ["-d", "6", "+proj=longlat", "+datum=WGS84", "+to", "EPSG:32639"], stdin: "51.389 35.689\n")
        let expected = oracle.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        #expect(numbers.count == 2 && expected.count >= 2)
        #expect(abs(numbers[0] - expected[0]) < 1e-3 && abs(numbers[1] - expected[1]) < 1e-3)
        #expect(result.stdout.hasPrefix("POINT ("))
    }

    @Test func transformKeepsGeoJSONAndReadsStandardInput() throws {
        let input = #"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[51.389,35.689]}}"#
        let result = try GraveAtlasCommand.run(["geo", "transform", "--from", "EPSG:4326", "--to", "EPSG:3857"], stdin: input)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        #expect(object["type"] as? String == "Point")
        let xy = try #require(object["coordinates"] as? [Double])
        let oracle = try runProgram("/usr/bin/cs2cs", ["-d", "6", "+proj=longlat", "+datum=WGS84", "+to", "EPSG:3857"], stdin: "51.389 35.689\n")
        let expected = oracle.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
        #expect(abs(xy[0] - expected[0]) < 1e-3 && abs(xy[1] - expected[1]) < 1e-3)
    }

    @Test func distanceAgreesWithGeod() throws {
        let result = try GraveAtlasCommand.run(["geo", "distance", "POINT (51.389 35.689)", "POINT (46.292 38.080)"])
        #expect(result.status == 0, "\(result.stderr)")
        let d = try #require(try json(result.stdout)["distance_m"] as? Double)
        let oracle = try runProgram("/usr/bin/geod", ["-I", "+ellps=WGS84", "-f", "%.6f"], stdin: "35.689 51.389 38.080 46.292\n")
        let expected = try #require(oracle.stdout.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }.last)
        #expect(abs(d - expected) < 1e-3)
        let touching = try GraveAtlasCommand.run(["geo", "distance", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", "LINESTRING (0.5 0.5, 3 3)"])
        #expect(try json(touching.stdout)["distance_m"] as? Double == 0)
    }

    @Test func distanceInAProjectedCRS() throws {
        // Two points 1000 m apart in UTM are close to (not exactly) 1000 m apart on the ellipsoid.
        let result = try GraveAtlasCommand.run(["geo", "distance", "--crs", "EPSG:32639", "POINT (500000 3950000)", "POINT (501000 3950000)"])
        let d = try #require(try json(result.stdout)["distance_m"] as? Double)
        #expect(abs(d - 1000) < 1)
    }

    @Test func measureReportsEveryFigure() throws {
        let square = "POLYGON ((51 35, 51.1 35, 51.1 35.1, 51 35.1, 51 35))"
        let result = try GraveAtlasCommand.run(["geo", "measure", square])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try json(result.stdout)
        let area = try #require(object["area_m2"] as? Double), perimeter = try #require(object["perimeter_m"] as? Double)
        #expect(object["length_m"] as? Double == 0)
        #expect(object["centroid"] as? [Double] == [51.05, 35.05])
        // Perimeter: the sum of the four sides as geod measures them.
        let sides = "35 51 35 51.1\n35 51.1 35.1 51.1\n35.1 51.1 35.1 51\n35.1 51 35 51\n"
        let oracle = try runProgram("/usr/bin/geod", ["-I", "+ellps=WGS84", "-f", "%.6f"], stdin: sides)
        let sum = oracle.stdout.split(separator: "\n").compactMap { $0.split(whereSeparator: \.isWhitespace).last.flatMap { Double($0) } }.reduce(0, +)
        #expect(abs(perimeter - sum) < 1e-3)
        // About 9.1 km × 11.1 km.
        #expect(area > 1.0e8 && area < 1.02e8)
    }

    @Test func validateExplainsAndRepairs() throws {
        let result = try GraveAtlasCommand.run(["geo", "validate", "POLYGON ((0 0, 2 2, 2 0, 0 2, 0 0))"])
        #expect(result.status == 0)
        let object = try json(result.stdout)
        #expect(object["valid"] as? Bool == false)
        #expect((object["reason"] as? String)?.contains("Self-intersection") == true)
        #expect((object["repaired"] as? String)?.hasPrefix("MULTIPOLYGON") == true)
        let valid = try json(try GraveAtlasCommand.run(["geo", "validate", "POINT (1 2)"]).stdout)
        #expect(valid["valid"] as? Bool == true)
        #expect(valid["reason"] is NSNull)
    }

    @Test(arguments: [
        (["geo", "validate", "POLYGON ((0 0, 2 2"], "invalid WKT"),
        (["geo", "transform", "--from", "EPSG:999999", "--to", "EPSG:4326", "POINT (1 2)"], "unknown CRS"),
        (["geo", "measure", #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#], "GeoJSON"),
        (["geo", "distance", "POINT (1 2)"], "Missing expected argument"),
        (["geo", "frobnicate"], "Unexpected argument"),
    ])
    func badInputExitsTwoWithOneLine(_ arguments: [String], _ expected: String) throws {
        let result = try GraveAtlasCommand.run(arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }

    @Test func helpAndVersionSucceed() throws {
        let help = try GraveAtlasCommand.run(["geo", "transform", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--from"))
        let version = try GraveAtlasCommand.run(["--version"])
        #expect(version.status == 0)
        #expect(!version.stdout.isEmpty)
    }
}

@Suite struct GeoBufferCommandTests {
    @Test func bufferOfAPointHasTheCircleArea() throws {
        let buffered = try GraveAtlasCommand.run(["geo", "buffer", "--metres", "10000", "POINT (51.389 35.689)"])
        #expect(buffered.status == 0, "\(buffered.stderr)")
        #expect(buffered.stdout.hasPrefix("POLYGON"))
        let measured = try GraveAtlasCommand.run(["geo", "measure"], stdin: buffered.stdout)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(measured.stdout.utf8)) as? [String: Any])
        let area = try #require(object["area_m2"] as? Double)
        #expect(abs(area - Double.pi * 1e8) / (Double.pi * 1e8) < 0.001)
        let bad = try GraveAtlasCommand.run(["geo", "buffer", "--metres", "-5", "POINT (0 0)"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--metres"))
    }

    /// The issue's 200,000-point geometry: refused at once (exit 2, one line naming the count
    /// and the limit) rather than left to run for minutes; one at the limit is buffered.
    @Test func aGeometryTooLargeToBufferIsRefusedAtOnce() throws {
        func multipoint(_ n: Int) -> String {
            "MULTIPOINT (" + (0..<n).map { "(\(Double($0 % 1000) * 0.001) \(Double($0 / 1000) * 0.001))" }.joined(separator: ", ") + ")"
        }
        let large = try GraveAtlasCommand.run(["geo", "buffer", "--metres", "10"], stdin: multipoint(200_000))
        #expect(large.status == 2)
        #expect(large.stderr.contains("200000 vertices") && large.stderr.contains("10000"), "\(large.stderr)")
        #expect(large.stderr.split(separator: "\n").count == 1)
        let small = try GraveAtlasCommand.run(["geo", "buffer", "--metres", "10", "--segments", "8"], stdin: multipoint(200))
        #expect(small.status == 0, "\(small.stderr)")
    }
}
