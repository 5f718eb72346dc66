import Foundation

/// Rings that only make sense as written in longitude/latitude (RFC 7946): an edge between
/// two ways of writing the same point — along a pole (`(-180 90) → (180 90)`) or along a
/// parallel from −180° to 180° — has no geodesic (it is 0 m long), yet it is how GeoJSON
/// draws the whole world or a cap over a pole.
///
/// ```swift
/// let world = try Polygon(rings: [[(-180, -90), (180, -90), (180, 90), (-180, 90), (-180, -90)]…])
/// Geodesic.wgs84.area(of: .polygon(world))   // 510 065 621 724 089 m², the ellipsoid's area
/// ```
/// Such a ring is measured with every edge straight in longitude/latitude, as drawn: its area
/// is the sum over edges of the ellipsoid's area between the edge and the equator (exact for
/// meridians and parallels, Gauss–Legendre for slanted edges). Every other ring keeps its
/// geodesic edges.
extension Geodesic {
    /// Whether some edge of the ring joins two different spellings of one point (at a pole, or
    /// at longitudes −180 and 180 on one parallel): the ring is then read as written.
    static func isWrittenAcrossSeam(_ positions: [Position]) -> Bool {
        zip(positions, positions.dropFirst()).contains { a, b in
            guard a.longitude != b.longitude else { return false }
            if a.latitude == b.latitude && abs(a.latitude) == 90 { return true }
            return a.latitude == b.latitude && abs(a.longitude - b.longitude) >= 360
        }
    }

    /// The unsigned area and the perimeter of a ring whose edges are straight in
    /// longitude/latitude (meridians and parallels exactly; other edges numerically).
    func measureAsWritten(_ positions: [Position]) -> (area: Double, perimeter: Double) {
        var signed = 0.0, perimeter = 0.0
        for (a, b) in zip(positions, positions.dropFirst()) {
            signed += zoneIntegral(a, b)
            perimeter += lengthAsWritten(a, b)
        }
        return (min(abs(signed), ellipsoidArea), perimeter)
    }

    /// The ellipsoid's whole area, 4π times the authalic radius squared.
    public var ellipsoidArea: Double {
        2 * Double.pi * ellipsoid.a * ellipsoid.a * authalicQ(Double.pi / 2)
    }

    /// Snyder's q(φ) (Map Projections, eq. 3-12): a²·q(φ)/2 is the ellipsoid's area between
    /// the equator and latitude φ per radian of longitude.
    private func authalicQ(_ phi: Double) -> Double {
        let e2 = ellipsoid.f * (2 - ellipsoid.f)
        let s = sin(phi)
        guard e2 > 0 else { return s }
        let e = e2.squareRoot()
        return (1 - e2) * (s / (1 - e2 * s * s) - log((1 - e * s) / (1 + e * s)) / (2 * e))
    }

    /// ∫ a²·q(φ(λ))/2 dλ along the straight edge from `a` to `b` in longitude/latitude.
    private func zoneIntegral(_ a: Position, _ b: Position) -> Double {
        let dLambda = (b.longitude - a.longitude) * .pi / 180
        guard dLambda != 0 else { return 0 }
        let factor = ellipsoid.a * ellipsoid.a / 2
        let phi1 = a.latitude * .pi / 180, phi2 = b.latitude * .pi / 180
        if phi1 == phi2 { return factor * authalicQ(phi1) * dLambda }
        // 8-point Gauss–Legendre on [0, 1]; q is smooth, edges are at most 360° long.
        var sum = 0.0
        for (node, weight) in Self.gaussLegendre8 {
            let t = (node + 1) / 2
            sum += weight / 2 * authalicQ(phi1 + t * (phi2 - phi1))
        }
        return factor * sum * dLambda
    }

    /// The length of a straight edge in longitude/latitude: a parallel's arc exactly, any other
    /// edge as its geodesic.
    private func lengthAsWritten(_ a: Position, _ b: Position) -> Double {
        guard a.latitude == b.latitude, a.longitude != b.longitude else { return distance(a, b) }
        let e2 = ellipsoid.f * (2 - ellipsoid.f)
        let phi = a.latitude * .pi / 180
        let radius = ellipsoid.a * cos(phi) / (1 - e2 * sin(phi) * sin(phi)).squareRoot()
        return abs(b.longitude - a.longitude) * .pi / 180 * max(0, radius)
    }

    private static let gaussLegendre8: [(Double, Double)] = [
        (-0.9602898564975363, 0.1012285362903763), (-0.7966664774136267, 0.2223810344533745),
        (-0.5255324099163290, 0.3137066458778873), (-0.1834346424956498, 0.3626837833783620),
        (0.1834346424956498, 0.3626837833783620), (0.5255324099163290, 0.3137066458778873),
        (0.7966664774136267, 0.2223810344533745), (0.9602898564975363, 0.1012285362903763),
    ]
}
