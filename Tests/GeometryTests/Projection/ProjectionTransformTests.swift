import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Transformations checked against PROJ's own `cs2cs`, run as a separate program.
///
/// `cs2cs` keeps each system's authority axis order: EPSG:4326 is read and written as
/// latitude, longitude, while the projected systems here are easting, northing. The tests
/// feed and read it in that order explicitly; the library always works in x = longitude.
@Suite struct ProjectionTransformTests {
    struct Area: Sendable, CustomStringConvertible {
        let code: Int
        let west: Double, south: Double, east: Double, north: Double
        /// 1 mm in the system's unit.
        let millimetre: Double
        var description: String { "EPSG:\(code)" }
    }

    static let areas = [
        Area(code: 32639, west: 48, south: 0, east: 54, north: 84, millimetre: 0.001),
        Area(code: 2263, west: -79.8, south: 40.5, east: -71.8, north: 45.0, millimetre: 0.001 / 0.3048006096),
        Area(code: 3857, west: -180, south: -85, east: 180, north: 85, millimetre: 0.001),
    ]

    static func randomPositions(in area: Area, count: Int, seed: UInt64) -> [Position] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            Position(x: Double.random(in: area.west...area.east, using: &random),
                     y: Double.random(in: area.south...area.north, using: &random))
        }
    }

    /// Geographic → projected, 300 points, against `cs2cs -d 12 EPSG:4326 EPSG:n`.
    @Test(arguments: areas)
    func forwardAgreesWithCs2cs(area: Area) throws {
        let geographic = Self.randomPositions(in: area, count: 300, seed: UInt64(area.code))
        var ours = geographic
        try Transformer(from: .epsg(4326), to: .epsg(area.code)).transform(&ours)

        let input = geographic.map { "\($0.y.oracleText) \($0.x.oracleText)" }.joined(separator: "\n")
        let oracle = try Subprocess.numbers(["cs2cs", "-d", "12", "EPSG:4326", "EPSG:\(area.code)"], input: input)
        try #require(oracle.count == geographic.count)
        var worst = 0.0
        for (index, row) in oracle.enumerated() {
            worst = max(worst, abs(ours[index].x - row[0]), abs(ours[index].y - row[1]))
        }
        #expect(worst < area.millimetre, "largest difference \(worst) \(area)")
    }

    /// Projected → geographic, on the oracle's own projected points, against
    /// `cs2cs -d 12 EPSG:n EPSG:4326` (which answers latitude first).
    @Test(arguments: areas)
    func inverseAgreesWithCs2cs(area: Area) throws {
        let geographic = Self.randomPositions(in: area, count: 300, seed: UInt64(area.code) + 1)
        let input = geographic.map { "\($0.y.oracleText) \($0.x.oracleText)" }.joined(separator: "\n")
        let projectedRows = try Subprocess.numbers(["cs2cs", "-d", "12", "EPSG:4326", "EPSG:\(area.code)"],
                                                   input: input)
        let projected = projectedRows.map { Position(x: $0[0], y: $0[1]) }

        var ours = projected
        try Transformer(from: .epsg(area.code), to: .epsg(4326)).transform(&ours)
        let back = try Subprocess.numbers(
            ["cs2cs", "-d", "12", "EPSG:\(area.code)", "EPSG:4326"],
            input: projected.map { "\($0.x.oracleText) \($0.y.oracleText)" }.joined(separator: "\n"))
        try #require(back.count == projected.count)
        var worst = 0.0
        for (index, row) in back.enumerated() {
            worst = max(worst, abs(ours[index].y - row[0]), abs(ours[index].x - row[1]))
        }
        #expect(worst < 1e-7, "largest difference \(worst)° \(area)")
    }

    /// A system read from an ESRI `.prj` transforms as `cs2cs` does with the same text.
    @Test func esriDefinedSystemAgreesWithCs2cs() throws {
        var random = SplitMix64(seed: 39)
        let projected = (0..<100).map { _ in
            Position(x: Double.random(in: 250_000...750_000, using: &random),
                     y: Double.random(in: 2_500_000...4_500_000, using: &random))
        }
        var ours = projected
        try Transformer(from: CoordinateReferenceSystem(esriUTM39N), to: .epsg(4326)).transform(&ours)
        let oracle = try Subprocess.numbers(
            ["cs2cs", "-d", "12", esriUTM39N, "EPSG:4326"],
            input: projected.map { "\($0.x.oracleText) \($0.y.oracleText)" }.joined(separator: "\n"))
        try #require(oracle.count == projected.count)
        for (p, row) in zip(ours, oracle) {
            #expect(abs(p.y - row[0]) < 1e-7 && abs(p.x - row[1]) < 1e-7)
        }
    }

    @Test func onePositionMatchesTheBulkCall() throws {
        let area = Self.areas[0]
        let positions = Self.randomPositions(in: area, count: 50, seed: 7)
        let transformer = try Transformer(from: .epsg(4326), to: .epsg(32639))
        var bulk = positions
        try transformer.transform(&bulk)
        #expect(try positions.map(transformer.transform) == bulk)
        #expect(try positions.map { try $0.transformed(from: .epsg(4326), to: .epsg(32639)) } == bulk)
    }

    @Test func longitudeStaysFirstForGeographicSystems() throws {
        let tehran = Position(x: 51.389, y: 35.689)
        let same = try Transformer(from: .epsg(4326), to: .epsg(4326)).transform(tehran)
        #expect(same == tehran)
        let esri = try Transformer(from: CoordinateReferenceSystem(esriWGS84), to: .epsg(32639)).transform(tehran)
        let epsg = try Transformer(from: .epsg(4326), to: .epsg(32639)).transform(tehran)
        #expect(abs(esri.x - epsg.x) < 1e-6 && abs(esri.y - epsg.y) < 1e-6)
        #expect(esri.x > 400_000 && esri.x < 600_000)   // easting near the zone's middle
    }

    @Test func geometriesKeepTheirShapeAndRoundTrip() throws {
        let hole = try LinearRing([Position(x: 51.40, y: 35.70), Position(x: 51.41, y: 35.70),
                                   Position(x: 51.41, y: 35.71), Position(x: 51.40, y: 35.70)])
        let outer = try LinearRing([Position(x: 51.3, y: 35.6), Position(x: 51.5, y: 35.6),
                                    Position(x: 51.5, y: 35.8), Position(x: 51.3, y: 35.8),
                                    Position(x: 51.3, y: 35.6)])
        let polygon = Polygon(exterior: outer, holes: [hole])
        let geometry = Geometry.geometryCollection(GeometryCollection([
            .polygon(polygon),
            .point(try Point(x: 51.389, y: 35.689)),
            .lineString(try LineString([Position(x: 51, y: 35), Position(x: 52, y: 36)])),
            .multiPolygon(MultiPolygon([polygon, .empty])),
            .multiPoint(try MultiPoint(positions: [Position(x: 50, y: 30)])),
            .multiLineString(MultiLineString([try LineString([])])),
        ]))
        let context = ProjectionContext()
        let forward = try context.transformer(from: .epsg(4326), to: .epsg(32639))
        let projected = try forward.transform(geometry)
        #expect(projected.typeName == geometry.typeName)
        #expect(projected.positions.count == geometry.positions.count)
        let back = try forward.inverted().transform(projected)
        for (a, b) in zip(back.positions, geometry.positions) {
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9)
        }
        let convenient = try geometry.transformed(from: .epsg(4326), to: .epsg(32639))
        #expect(convenient == projected)
    }

    @Test func positionsOutsideTheDomainFailByName() throws {
        let transformer = try Transformer(from: .epsg(4326), to: .epsg(3857))
        var positions = [Position(x: 10, y: 10), Position(x: 10, y: 100), Position(x: 11, y: 11)]
        let before = positions
        do {
            try transformer.transform(&positions)
            Issue.record("latitude 100 was transformed")
        } catch let GeometryError.transformFailed(from, to, message) {
            #expect(from == "EPSG:4326" && to == "EPSG:3857")
            #expect(message.contains("position 1"))
            #expect(message.contains("(10.0 100.0)"))
        }
        #expect(positions == before)
    }
}
