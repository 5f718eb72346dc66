import Testing
@testable import Geometry

@Suite struct ValueTypeTests {
    @Test func ringMustClose() {
        #expect(throws: GeometryError.ringNotClosed(first: Position(x: 0, y: 0), last: Position(x: 0, y: 1))) {
            try LinearRing([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 1)])
        }
    }

    @Test func ringNeedsFourPositions() {
        #expect(throws: GeometryError.tooFewPositions(kind: "linear ring", count: 3, minimum: 4)) {
            try LinearRing([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 0, y: 0)])
        }
    }

    @Test func lineNeedsTwoPositions() {
        #expect(throws: GeometryError.tooFewPositions(kind: "line string", count: 1, minimum: 2)) {
            try LineString([Position(x: 0, y: 0)])
        }
        #expect((try? LineString([]))?.isEmpty == true)
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteCoordinatesRejected(_ bad: Double) {
        #expect(throws: GeometryError.self) { try Point(x: bad, y: 0) }
        #expect(throws: GeometryError.self) { try LineString([Position(x: 0, y: 0), Position(x: 1, y: bad)]) }
        #expect(throws: GeometryError.self) {
            try LinearRing([Position(x: 0, y: 0), Position(x: bad, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)])
        }
    }

    @Test func boundingBoxCoversEveryPosition() throws {
        let ring = try LinearRing([
            Position(x: -3, y: 2), Position(x: 5, y: -1), Position(x: 4, y: 7), Position(x: -3, y: 2),
        ])
        let g = Geometry.geometryCollection(GeometryCollection([
            .polygon(Polygon(exterior: ring)), .point(try Point(x: 10, y: -20)),
        ]))
        #expect(g.boundingBox == BoundingBox(minX: -3, minY: -20, maxX: 10, maxY: 7))
        #expect(Geometry.multiPolygon(MultiPolygon([])).boundingBox == nil)
    }

    @Test func orientation() throws {
        let ccw = try LinearRing([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)])
        #expect(ccw.isCounterClockwise)
        #expect(!ccw.reversed.isCounterClockwise)
    }
}
