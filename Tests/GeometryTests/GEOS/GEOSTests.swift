import TestSupport
import Testing
@testable import Geometry

private func ring(_ xy: [(Double, Double)]) throws -> LinearRing {
    try LinearRing(xy.map { Position(x: $0.0, y: $0.1) })
}

private func square(_ x: Double, _ y: Double, _ size: Double) throws -> Geometry {
    .polygon(Polygon(exterior: try ring([(x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)])))
}

/// Shoelace area of a triangle, computed here independently of GEOS.
private func triangleArea(_ a: Position, _ b: Position, _ c: Position) -> Double {
    abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2
}

@Suite struct GEOSTests {
    let geos: GEOSContext
    init() throws { geos = try GEOSContext() }

    @Test func bowtieIsInvalidAndRepairsIntoTwoTriangles() throws {
        // The two lobes meet at (1, 1): triangles (0,0)-(2,2)... laid out as a figure eight.
        let bowtie = Geometry.polygon(Polygon(exterior: try ring([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])))
        let validity = try geos.validity(bowtie)
        #expect(!validity.isValid)
        #expect(validity.reason?.localizedCaseInsensitiveContains("self-intersection") == true)
        #expect(validity.location == Position(x: 1, y: 1))

        let repaired = try geos.makeValid(bowtie)
        guard case let .multiPolygon(parts) = repaired else {
            Issue.record("expected a multipolygon, got \(repaired.typeName)")
            return
        }
        #expect(parts.polygons.count == 2)
        #expect(try geos.validity(repaired).isValid)
        // Lobes: (0,0)-(1,1)-(0,2) and (2,0)-(1,1)-(2,2), each of area 1.
        let expected = triangleArea(Position(x: 0, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 2))
            + triangleArea(Position(x: 2, y: 0), Position(x: 1, y: 1), Position(x: 2, y: 2))
        #expect(abs(try geos.planarArea(repaired) - expected) < 1e-12)
    }

    @Test func validGeometryPassesAndKeepsItsShape() throws {
        let sq = try square(0, 0, 1)
        #expect(try geos.validity(sq) == Validity(isValid: true, reason: nil, location: nil))
        #expect(try geos.normalize(geos.makeValid(sq)) == geos.normalize(sq))
    }

    @Test func conversionRoundTripsEveryType() throws {
        let sq = try square(0, 0, 4)
        let holed = Geometry.polygon(Polygon(
            exterior: try ring([(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)]),
            holes: [try ring([(1, 1), (1, 2), (2, 2), (2, 1), (1, 1)])]
        ))
        let line = Geometry.lineString(try LineString([Position(x: 0, y: 0), Position(x: 3, y: 1.5)]))
        let samples: [Geometry] = [
            .point(try Point(x: 51.389, y: 35.689)), line, sq, holed,
            .multiPoint(try MultiPoint(positions: [Position(x: 1, y: 2), Position(x: 3, y: 4)])),
            .multiLineString(MultiLineString([try LineString([Position(x: 0, y: 0), Position(x: 1, y: 1)])])),
            .multiPolygon(MultiPolygon([Polygon(exterior: try ring([(0, 0), (1, 0), (0, 1), (0, 0)])), .empty])),
            .geometryCollection(GeometryCollection([sq, line, .point(try Point(x: -1, y: -1))])),
            .multiPolygon(MultiPolygon([])), .polygon(.empty), .lineString(try LineString([])),
        ]
        for g in samples {
            #expect(try geos.value(geos.make(g)) == g, "\(g.typeName)")
        }
    }

    @Test func predicates() throws {
        let big = try square(0, 0, 10), small = try square(2, 2, 2), apart = try square(20, 20, 1)
        let edge = try square(10, 0, 5), crossing = try square(8, 8, 5)
        #expect(try geos.contains(big, small))
        #expect(try geos.within(small, big))
        #expect(try geos.covers(big, small))
        #expect(try !geos.intersects(big, apart))
        #expect(try geos.touches(big, edge))
        #expect(try !geos.overlaps(big, edge))
        #expect(try geos.overlaps(big, crossing))
        #expect(try geos.relate(big, .disjoint, apart))
    }

    @Test func overlayAreasAddUp() throws {
        let a = try square(0, 0, 10), b = try square(5, 5, 10)
        let inter = try geos.intersection(a, b)
        #expect(try geos.planarArea(inter) == 25)
        #expect(try geos.planarArea(geos.union(a, b)) == 175)
        #expect(try geos.planarArea(geos.difference(a, b)) == 75)
        let many = try (0..<10).map { try square(Double($0), 0, 1.5) }
        #expect(abs(try geos.planarArea(geos.union(many)) - 10.5 * 1.5) < 1e-9)
        #expect(try geos.intersection(a, try square(50, 50, 1)).isEmpty)
    }

    @Test func constructions() throws {
        let sq = try square(0, 0, 2)
        #expect(try geos.centroid(sq) == .point(try Point(x: 1, y: 1)))
        #expect(try geos.covers(sq, geos.pointOnSurface(sq)))
        let clipped = try geos.clip(sq, to: BoundingBox(minX: 1, minY: 1, maxX: 5, maxY: 5))
        #expect(try geos.planarArea(clipped) == 1)
        #expect(try geos.planarArea(geos.envelope(.lineString(LineString([Position(x: 0, y: 0), Position(x: 2, y: 3)])))) == 6)
        let circle = try geos.buffer(.point(Point(x: 0, y: 0)), distance: 1, quadrantSegments: 64)
        #expect(abs(try geos.planarArea(circle) - Double.pi) < 0.001)
        // Simplification keeps a valid polygon and drops the near-collinear vertex.
        let wobbly = Geometry.polygon(Polygon(exterior: try ring([(0, 0), (5, 0.001), (10, 0), (10, 10), (0, 10), (0, 0)])))
        let simple = try geos.simplify(wobbly, tolerance: 0.01)
        #expect(simple.positions.count == 5)
        #expect(try geos.validity(simple).isValid)
    }

    @Test func preparedAgreesWithPlainPredicates() throws {
        let polygon = Geometry.polygon(Polygon(
            exterior: try ring([(0, 0), (10, 0), (10, 10), (5, 4), (0, 10), (0, 0)]),
            holes: [try ring([(2, 1), (3, 1), (3, 2), (2, 2), (2, 1)])]
        ))
        let prepared = try geos.prepare(polygon)
        var generator = SplitMix64(seed: 42)
        for _ in 0..<2000 {
            let p = Position(x: Double.random(in: -1...11, using: &generator), y: Double.random(in: -1...11, using: &generator))
            let plain = try geos.covers(polygon, .point(Point(p)))
            #expect(try prepared.covers(p) == plain, "\(p)")
        }
    }

    @Test func errorsCarryGEOSMessages() throws {
        // A ring of four identical points is structurally closed but collapses; GEOS rejects
        // building a polygon it cannot orient only at operation time, so validity reports it.
        let degenerate = Geometry.polygon(Polygon(exterior: try ring([(1, 1), (1, 1), (1, 1), (1, 1)])))
        let v = try geos.validity(degenerate)
        #expect(!v.isValid)
        #expect(v.reason != nil)
    }

    /// A 0.3° × 20° rectangle drawn across the antimeridian splits into one part each side,
    /// both polygons, whose geodesic areas add up to its own; what does not cross comes back
    /// whole.
    @Test func splitsAtTheAntimeridian() throws {
        let across = Geometry.polygon(Polygon(exterior: try ring([(179.9, -10), (-179.8, -10), (-179.8, 10), (179.9, 10), (179.9, -10)])))
        let parts = try across.splitAtAntimeridian()
        #expect(parts.count == 2)
        #expect(parts.allSatisfy { $0.isPolygonal })
        let boxes = parts.compactMap(\.boundingBox)
        #expect(boxes.map(\.minX).sorted() == [-180, 179.9])
        #expect(boxes.map(\.maxX).sorted() == [-179.8, 180])
        // Within 1e-5: the cut puts a vertex at 180° on each crossing edge, on the straight
        // line in longitude/latitude, a few metres off the geodesic the area follows.
        let whole = Geodesic.wgs84.area(of: across)
        #expect(abs(parts.map { Geodesic.wgs84.area(of: $0) }.reduce(0, +) - whole) < 1e-5 * whole)
        // The same square 100° west, where nothing wraps, has the same area.
        let away = Geometry.polygon(Polygon(exterior: try ring([(79.9, -10), (80.2, -10), (80.2, 10), (79.9, 10), (79.9, -10)])))
        #expect(abs(Geodesic.wgs84.area(of: away) - whole) < 1e-6 * whole)
        #expect(try away.splitAtAntimeridian() == [away])
        let point = Geometry.point(try Point(x: -179.95, y: 0))
        #expect(try point.splitAtAntimeridian() == [point])
    }
}
