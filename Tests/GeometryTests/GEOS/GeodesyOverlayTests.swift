import TestSupport
import Foundation
import Testing
@testable import Geometry

@Suite struct GeodesyOverlayTests {
    let geodesic = Geodesic.wgs84

    @Test func pointBufferAreaIsACircle() throws {
        var rng = SplitMix64(seed: 100)
        for _ in 0..<200 {
            let p = Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -89...89, using: &rng))
            let buffer = try geodesic.buffer(.point(Point(p)), metres: 100)
            let area = geodesic.area(of: buffer)
            #expect(abs(area - Double.pi * 100 * 100) / (Double.pi * 100 * 100) < 0.01, "\(p): \(area)")
            // Every vertex lies 100 m away on the ellipsoid.
            for v in buffer.positions { #expect(abs(geodesic.distance(p, v) - 100) < 1e-6) }
        }
    }

    @Test func polygonBufferContainsThePolygonAndGrowsItsArea() throws {
        let ring = try LinearRing([
            Position(x: 51.38, y: 35.68), Position(x: 51.40, y: 35.68), Position(x: 51.40, y: 35.70),
            Position(x: 51.38, y: 35.70), Position(x: 51.38, y: 35.68),
        ])
        let square = Geometry.polygon(Polygon(exterior: ring))
        let buffered = try geodesic.buffer(square, metres: 250)
        #expect(try buffered.covers(square))
        // Area of a rounded square: A + perimeter·r + π r² (planar, a close approximation here).
        let expected = geodesic.area(of: square) + geodesic.perimeter(of: square) * 250 + Double.pi * 250 * 250
        #expect(abs(geodesic.area(of: buffered) - expected) / expected < 0.002)
        // Its boundary is 250 m from the square.
        for v in buffered.positions { #expect(abs(geodesic.distance(from: v, to: square) - 250) < 1.5) }
    }

    @Test func repairedAreasAreNeverNegative() throws {
        var rng = SplitMix64(seed: 7)
        let geos = try GEOSContext()
        var invalidSeen = 0
        for _ in 0..<300 {
            // Random vertex order makes self-intersecting rings most of the time.
            var ring = (0..<Int.random(in: 4...9, using: &rng)).map { _ in
                Position(x: 46 + Double.random(in: 0...0.1, using: &rng), y: 35 + Double.random(in: 0...0.1, using: &rng))
            }
            ring.append(ring[0])
            let polygon = Geometry.polygon(Polygon(exterior: try LinearRing(ring)))
            if !(try geos.validity(polygon).isValid) { invalidSeen += 1 }
            let repaired = try geos.makeValid(polygon)
            #expect(try geos.validity(repaired).isValid)
            #expect(geodesic.area(of: repaired) >= 0)
        }
        #expect(invalidSeen > 100)
    }

    @Test func distanceBetweenGeometries() throws {
        let a = try Geometry(wkt: "POLYGON ((51 35, 51.1 35, 51.1 35.1, 51 35.1, 51 35))")
        let b = try Geometry(wkt: "POLYGON ((51.2 35, 51.3 35, 51.3 35.1, 51.2 35.1, 51.2 35))")
        let touching = try Geometry(wkt: "LINESTRING (51.05 35.05, 52 36)")
        #expect(try geodesic.distance(between: a, and: touching) == 0)
        let ab = try geodesic.distance(between: a, and: b)
        #expect(ab == (try geodesic.distance(between: b, and: a)))
        // The squares are closest at their upper corners, where a degree of longitude is shortest.
        let gap = geodesic.distance(Position(x: 51.1, y: 35.1), Position(x: 51.2, y: 35.1))
        #expect(abs(ab - gap) < 1e-3)
        let p = Position(x: 50, y: 34)
        #expect(try geodesic.distance(between: .point(Point(p)), and: a) == geodesic.distance(from: p, to: a))
    }

    @Test func overlapAreas() throws {
        let a = try Geometry(wkt: "POLYGON ((51 35, 51.1 35, 51.1 35.1, 51 35.1, 51 35))")
        let b = try Geometry(wkt: "POLYGON ((51.05 35, 51.15 35, 51.15 35.1, 51.05 35.1, 51.05 35))")
        #expect(abs(try geodesic.intersectionArea(a, a) - geodesic.area(of: a)) < 1e-6)
        let ab = try geodesic.intersectionArea(a, b)
        // Half of each square, to the accuracy that meridians are straight in lon/lat.
        #expect(abs(ab / geodesic.area(of: a) - 0.5) < 1e-3)
        #expect(try geodesic.intersectionArea(a, try Geometry(wkt: "POINT (51.05 35.05)")) == 0)
    }
}
