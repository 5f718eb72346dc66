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
/// longitude span of any stored site, widens the latitude range by how far a geodesic edge
/// of that span can bulge poleward of its end points.
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
            let margin = bulge(latitude: min(89.999_999, max(abs(lo), abs(hi))), span: spanDegrees)
            lo -= margin
            hi += margin
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

    /// How far (degrees) a geodesic edge spanning `span` degrees of longitude, with both ends
    /// at `latitude`, rises poleward of them (the great-circle vertex: tan φ' = tan φ / cos(Δλ/2)),
    /// with 1% to spare for the ellipsoid.
    static func bulge(latitude: Double, span: Double) -> Double {
        let φ = latitude * .pi / 180, half = min(span, 179.999) / 2 * .pi / 180
        let top = atan(tan(φ) / cos(half))
        return (top - φ) * 180 / .pi * 1.01 + 1e-9
    }
}
