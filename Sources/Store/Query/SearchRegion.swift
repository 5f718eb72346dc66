import Foundation
import Geometry

/// The longitude/latitude boxes that hold every point within a geodesic distance of a
/// position: the R*Tree prefilter of `near` and `nearest`.
///
/// ```swift
/// SearchRegion.boxes(around: Position(x: 179.99, y: 0), radius: 5_000)
/// // two boxes: [179.94…180] and [-180…-179.95], split at the antimeridian
/// ```
/// Bounds hold on the WGS84 ellipsoid: along any path of length r, latitude moves at most
/// r / M_min (M_min = a(1 − e²), the smallest meridional radius) and longitude at most
/// r / (a cos φ_max). A region reaching a pole spans every longitude. `spanDegrees`, the widest
/// longitude span of any stored site, widens the latitude range equatorward by how far below
/// the region the ends of a geodesic edge of that span can lie while its poleward bulge
/// still reaches the region.
/// - Complexity: O(1).
enum SearchRegion {
    static let minimumRadius = 6_335_439.0   // a(1 − e²), metres
    /// Half the equator's length: nothing on Earth is farther than this (plus the flattening).
    static let halfCircumference = 20_037_509.0

    static func boxes(around p: Position, radius r: Double, spanDegrees: Double = 0) -> [BoundingBox] {
        let reach = r * (1 + 1e-9) + 0.001
        if reach >= halfCircumference { return [world] }
        let dLat = reach / minimumRadius * 180 / .pi
        var lo = p.y - dLat, hi = p.y + dLat
        if spanDegrees > 0 {
            // Edges bulge poleward: a site equatorward of the region can reach into it.
            if lo > 0 { lo -= bulge(reaching: min(89.999_999, lo), span: spanDegrees) }
            if hi < 0 { hi += bulge(reaching: min(89.999_999, -hi), span: spanDegrees) }
        }
        if lo <= -90 || hi >= 90 {
            return [BoundingBox(minX: -180, minY: max(-90, lo), maxX: 180, maxY: min(90, hi))]
        }
        let farthest = max(abs(lo), abs(hi)) * .pi / 180
        let dLon = reach / (minimumRadius * cos(farthest)) * 180 / .pi
        if dLon >= 180 { return [BoundingBox(minX: -180, minY: lo, maxX: 180, maxY: hi)] }
        let west = p.x - dLon, east = p.x + dLon
        if west < -180 {
            return [BoundingBox(minX: -180, minY: lo, maxX: east, maxY: hi),
                    BoundingBox(minX: west + 360, minY: lo, maxX: 180, maxY: hi)]
        }
        if east > 180 {
            return [BoundingBox(minX: west, minY: lo, maxX: 180, maxY: hi),
                    BoundingBox(minX: -180, minY: lo, maxX: east - 360, maxY: hi)]
        }
        return [BoundingBox(minX: west, minY: lo, maxX: east, maxY: hi)]
    }

    static let world = BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90)

    /// How far (degrees) equatorward of `latitude` (taken positive) the ends of a geodesic edge
    /// spanning `span` degrees of longitude can lie while the edge still reaches `latitude`:
    /// its vertex, midway, is at tan φ' = tan φ / cos(Δλ/2), so the lowest such ends are at
    /// atan(tan(latitude) · cos(Δλ/2)). With 1% to spare for the ellipsoid.
    static func bulge(reaching latitude: Double, span: Double) -> Double {
        let φ = latitude * .pi / 180, half = min(span, 179.999) / 2 * .pi / 180
        let ends = atan(tan(φ) * cos(half))
        return (φ - ends) * 180 / .pi * 1.01 + 1e-9
    }
}
