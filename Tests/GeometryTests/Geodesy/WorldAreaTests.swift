import Foundation
import Testing
@testable import Geometry

/// Rings drawn as GeoJSON draws the world and the polar caps (edges along a pole or from −180
/// to 180 on a parallel) measure what they enclose as written, against oracles that share no
/// code with the measure: the closed form of the ellipsoid's and a zone's area, and the
/// geodesic area of the same region drawn with thousands of short edges.
@Suite struct WorldAreaTests {
    static let a = 6_378_137.0, f = 1 / 298.257223563

    /// Area of the ellipsoid between the equator and latitude φ (degrees), whole way round:
    /// 2π·a²·q(φ)/2 with Snyder's q (Map Projections, eq. 3-12), written out again here.
    static func zone(_ degrees: Double) -> Double {
        let e2 = f * (2 - f), e = e2.squareRoot(), s = sin(degrees * .pi / 180)
        let q = (1 - e2) * (s / (1 - e2 * s * s) + 1 / (2 * e) * log((1 + e * s) / (1 - e * s)))
        return Double.pi * a * a * q
    }

    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) throws -> Geometry {
        .polygon(try Polygon(rings: [[Position(x: x0, y: y0), Position(x: x1, y: y0), Position(x: x1, y: y1),
                                      Position(x: x0, y: y1), Position(x: x0, y: y0)]]))
    }

    @Test func theWorldIsTheEllipsoidsArea() throws {
        let world = 2 * Self.zone(90)
        // 4πR² with the authalic radius (R = 6 371 007.2 m), the textbook figure.
        #expect(abs(world - 4 * .pi * 6_371_007.2 * 6_371_007.2) < 1e-7 * world)
        #expect(abs(Geodesic.wgs84.ellipsoidArea - world) < 1e-9 * world)
        for geometry in [try Self.box(-180, -90, 180, 90), try Self.box(180, -90, -180, 90)] {
            let area = Geodesic.wgs84.area(of: geometry)
            #expect(abs(area - world) < 1e-9 * world, "\(area)")
        }
    }

    @Test func polarCapsAndBandsAreZonesOfTheEllipsoid() throws {
        for (y0, y1) in [(80.0, 90.0), (-90.0, -60.0), (-10.0, 10.0), (35.0, 36.0)] {
            let area = Geodesic.wgs84.area(of: try Self.box(-180, y0, 180, y1))
            let expected = Self.zone(y1) - Self.zone(y0)
            #expect(abs(area - expected) < 1e-9 * expected, "\(y0)…\(y1): \(area) vs \(expected)")
        }
    }

    /// The cap south of −70° against GeographicLib's geodesic polygon area (PROJ's
    /// `geod_polygonarea`, a different method) of the same cap drawn as a ring of 36 000
    /// geodesic edges round the pole, each 0.01° of longitude (bowing poleward by a hair).
    @Test func aCapAgreesWithADensifiedGeodesicRing() throws {
        var ring = (-18000..<18000).map { Position(x: Double($0) / 100, y: -70) }
        ring.append(ring[0])
        let densified = Geometry.polygon(try Polygon(rings: [ring]))
        let expected = Geodesic.wgs84.area(of: densified)
        let cap = try Self.box(-180, -90, 180, -70)
        #expect(abs(Geodesic.wgs84.area(of: cap) - expected) < 1e-6 * expected)
        // The perimeter is the parallel at −70° and the meridian walked up and back down (the
        // pole's edge has no length).
        let meridian = Geodesic.wgs84.distance(Position(x: 180, y: -90), Position(x: 180, y: -70))
        let parallel = Geodesic.wgs84.perimeter(of: densified)
        #expect(abs(Geodesic.wgs84.perimeter(of: cap) - 2 * meridian - parallel) < 1e-6 * parallel)
    }

    /// Rings that do not touch the seam keep their geodesic edges: the same area as before.
    @Test func otherRingsAreMeasuredAsBefore() throws {
        let ordinary = try Self.box(51, 35, 51.1, 35.1)
        guard case let .polygon(p) = ordinary else { return }
        #expect(!Geodesic.isWrittenAcrossSeam(p.rings[0].positions))
        // A square drawn across the antimeridian (179.99 to −179.99) is still the short way.
        let across = try Self.box(179.99, 10, -179.99, 10.02)
        guard case let .polygon(q) = across else { return }
        #expect(!Geodesic.isWrittenAcrossSeam(q.rings[0].positions))
        #expect(Geodesic.wgs84.area(of: across) < 1e7)
    }
}
