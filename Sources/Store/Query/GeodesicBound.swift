import Foundation
import Geometry

/// A lower bound of the geodesic distance (WGS84) from a query point to anything inside a
/// longitude/latitude box: the priority of an R*Tree node or an unread site in the
/// best-first walk of `near` and `nearest`.
///
/// ```swift
/// let from = GeodesicBound(Position(x: 51.4, y: 35.7))
/// from.metres(to: BoundingBox(minX: 51.5, minY: 35.6, maxX: 51.6, maxY: 35.8))
/// // ≤ the geodesic distance to every point of the box (≈ 9 km here, 0.7 % below the truth)
/// ```
/// Why it holds: on the ellipsoid a path's length is ds² = M² dφ² + N² cos²φ dλ², with M ≥
/// a(1 − e²) and N ≥ a, so every path between two positions is at least a(1 − e²) times the
/// great circle between the same latitude/longitude pairs on the unit sphere. The great-circle
/// distance to a box is exact: the latitude gap when the point's meridian crosses the box,
/// else the nearer of the two meridian edges (the nearest point of a meridian arc is the
/// foot of the perpendicular, when it falls on the arc, or an end). Rounding is covered by a
/// part in 10⁹ and a micrometre.
///
/// A box built from a site's vertices does not hold its geodesic edges, which bulge
/// poleward: `widened(_:span:)` grows it first.
/// - Complexity: O(1), a few trigonometric calls.
struct GeodesicBound {
    /// a(1 − e²), the smallest meridional radius of curvature of WGS84, less a part in 10⁹.
    static let radius = 6_378_137 * (1 - 0.006_694_379_990_141_317) * (1 - 1e-9)

    /// Every longitude and latitude.
    static let world = BoundingBox(minX: -180, minY: -90, maxX: 180, maxY: 90)

    let position: Position
    private let phi: Double, sinPhi: Double, cosPhi: Double

    init(_ position: Position) {
        self.position = position
        phi = position.y * .pi / 180
        sinPhi = sin(phi)
        cosPhi = cos(phi)
    }

    /// Metres: at most the geodesic distance from the point to any position in `box`.
    func metres(to box: BoundingBox) -> Double {
        max(0, Self.radius * angle(to: box) - 1e-6)
    }

    /// `metres(to:)`, or a smaller bound that is still above `limit` when the latitude gap
    /// alone puts the box beyond it: the great-circle angle to a position is at least their
    /// difference in latitude, so the trigonometry of the meridian edges is skipped for boxes
    /// north or south of a radius.
    func metres(to box: BoundingBox, unlessBeyond limit: Double) -> Double {
        let gap = max(0, box.minY * .pi / 180 - phi, phi - box.maxY * .pi / 180)
        let byLatitude = Self.radius * gap - 1e-6
        return byLatitude > limit ? byLatitude : metres(to: box)
    }

    /// Whether `box` surely holds a position within `limit` metres of the point, from a few
    /// multiplications: then `metres(to:)` of the box, and of any box holding it, is at most
    /// `limit`, and its trigonometry can be skipped by a caller that only asks that.
    ///
    /// ```swift
    /// from.surelyReaches(box, within: 1_000)   // true: the box is a candidate, no bound needed
    /// ```
    /// Why it holds: the path from the point along its parallel to the box's nearer meridian,
    /// then along that meridian into the box, is at most N cos φ Δλ + M Δφ long, with both radii
    /// of curvature (N, M) at most a / √(1 − e²); the geodesic to the box is no longer than the
    /// path, and the lower bound no larger than the geodesic. Longitudes are not wrapped: the
    /// path may go the long way round, which only makes the test say false more often.
    /// - Complexity: O(1), no trigonometry.
    func surelyReaches(_ box: BoundingBox, within limit: Double) -> Bool {
        let dLat = max(0, box.minY - position.y, position.y - box.maxY)
        let dLon = max(0, box.minX - position.x, position.x - box.maxX)
        let path = Self.largestRadius * (cosPhi * dLon + dLat) * .pi / 180
        return path * (1 + 1e-9) + 1e-6 <= limit
    }

    /// a / √(1 − e²), the largest radius of curvature of WGS84 (either way), plus a part in 10⁹.
    static let largestRadius = 6_378_137 / (1 - 0.006_694_379_990_141_317).squareRoot() * (1 + 1e-9)

    /// Degrees of longitude beyond which a box lies farther than `limit` metres (its
    /// `metres(to:)` above `limit`, however it is widened in latitude), for boxes whose far
    /// side is at most 90° of longitude away (`longitudeGap(to:)`); nil when no such bound
    /// helps (a limit beyond a quarter of the Earth, or a point at a pole).
    ///
    /// ```swift
    /// let from = GeodesicBound(Position(x: 51.4, y: 35.7))
    /// let reach = from.longitudeReach(within: 1_000)   // ≈ 0.011°
    /// from.longitudeGap(to: box) > reach               // then metres(to: box) > 1_000, no trigonometry
    /// ```
    /// Why it holds: a position Δλ of longitude away lies at least asin(cos φ |sin Δλ|) from
    /// the point on the unit sphere (its distance to the great circle of that meridian), which
    /// grows with Δλ up to 90°; the reach is where that angle meets the limit's.
    func longitudeReach(within limit: Double) -> Double? {
        let angle = (limit + 1e-6) / Self.radius
        guard angle < .pi / 2, cosPhi > 0 else { return nil }
        let s = sin(angle) / cosPhi
        guard s < 1 else { return nil }
        return asin(s) * 180 / .pi * (1 + 1e-9) + 1e-9
    }

    /// The degrees of longitude between the point's meridian and `box`, the short way round;
    /// 0 when the meridian crosses the box, or when the box's far side is more than 90° away
    /// (where `longitudeReach` says nothing).
    func longitudeGap(to box: BoundingBox) -> Double {
        let width = box.maxX - box.minX
        guard width < 90 else { return 0 }
        let x = position.x
        if (box.minX <= x && x <= box.maxX) || (box.minX <= x + 360 && x + 360 <= box.maxX)
            || (box.minX <= x - 360 && x - 360 <= box.maxX) { return 0 }
        var east = (box.minX - x).truncatingRemainder(dividingBy: 360)
        if east < 0 { east += 360 }
        var west = (x - box.maxX).truncatingRemainder(dividingBy: 360)
        if west < 0 { west += 360 }
        let gap = min(east, west)
        return gap + width <= 90 ? gap : 0
    }

    /// The great-circle angle (radians, unit sphere) to the nearest position of `box`.
    func angle(to box: BoundingBox) -> Double {
        let x = position.x
        let lo = box.minY * .pi / 180, hi = box.maxY * .pi / 180
        if box.maxX - box.minX >= 360 || (box.minX <= x && x <= box.maxX)
            || (box.minX <= x + 360 && x + 360 <= box.maxX) || (box.minX <= x - 360 && x - 360 <= box.maxX) {
            return max(0, lo - phi, phi - hi)
        }
        return min(meridian(box.minX, lo, hi), meridian(box.maxX, lo, hi))
    }

    /// The angle to the arc of meridian `longitude` between latitudes `lo` and `hi` (radians).
    private func meridian(_ longitude: Double, _ lo: Double, _ hi: Double) -> Double {
        let dLon = (longitude - position.x) * .pi / 180
        // cos d(ψ) = sin φ sin ψ + cos φ cos ψ cos Δλ is greatest at ψ₀ = atan2(A, B); when
        // ψ₀ lies on the arc the distance there is asin(cos φ |sin Δλ|) (B ≥ 0 keeps it ≤ 90°).
        let a = sinPhi, b = cosPhi * cos(dLon)
        if b >= 0 {
            let foot = atan2(a, b)
            if lo <= foot && foot <= hi { return asin(min(1, cosPhi * abs(sin(dLon)))) }
        }
        return min(haversine(lo, dLon), haversine(hi, dLon))
    }

    private func haversine(_ latitude: Double, _ dLon: Double) -> Double {
        let s1 = sin((latitude - phi) / 2), s2 = sin(dLon / 2)
        let h = s1 * s1 + cosPhi * cos(latitude) * s2 * s2
        return 2 * asin(min(1, h.squareRoot()))
    }

    /// `box` grown poleward to hold the geodesic edges of a site (or of every site under an
    /// R*Tree node) whose vertices it holds, each edge spanning at most `span` degrees of
    /// longitude: the northern side when it is north of the equator, the southern when
    /// south. A point (no width) or a store of points (`span` 0) is left as it is.
    ///
    /// An edge whose ends lie at most at latitude φ and Δλ apart rises no higher than its
    /// symmetric twin with both ends at φ, whose vertex is at tan φᵥ = tan φ / cos(Δλ/2) on
    /// the auxiliary sphere (exact on the ellipsoid in reduced latitudes, with Δλ replaced by
    /// the auxiliary longitude difference, less than 0.34 % larger: Δλ is widened by 0.5 %
    /// and the rise by 1 %).
    static func widened(_ box: BoundingBox, span: Double) -> BoundingBox {
        let s = min(box.maxX - box.minX, span)
        guard s > 0 else { return box }
        var out = box
        if box.maxY > 0 { out.maxY = vertex(box.maxY, span: s) }
        if box.minY < 0 { out.minY = -vertex(-box.minY, span: s) }
        return out
    }

    /// The highest latitude (degrees) an edge with ends at most at `latitude` (> 0) and
    /// `span` degrees of longitude apart can reach, with margins.
    static func vertex(_ latitude: Double, span: Double) -> Double {
        let half = min(90, span / 2 * 1.005)
        guard half < 89.999_999 else { return 90 }
        let phi = latitude * .pi / 180
        let top = atan(tan(phi) / cos(half * .pi / 180)) * 180 / .pi
        return min(90, latitude + (top - latitude) * 1.01 + 1e-9)
    }
}

/// How far from a position, in degrees of longitude and of latitude, a position within a
/// distance on the ellipsoid can lie: for an engine that picks candidates by planar distance
/// in degrees (PostGIS's `<->` on geometry) and must know when it has them all.
///
/// ```swift
/// GeodesicReach.degrees(around: Position(x: 51.4, y: 35.7), within: 1_000)
/// // (longitude: ≈ 0.0111, latitude: ≈ 0.00904): every position within 1 km lies in that box
/// ```
public enum GeodesicReach {
    /// Every position within `metres` of `position` lies within `longitude` degrees of its
    /// meridian (the short way round) and `latitude` degrees of its parallel; nil when no such
    /// bound holds (a distance beyond a quarter of the Earth, or one that reaches over a pole).
    ///
    /// Why it holds: the latitude, because every path is at least a(1 − e²) times the
    /// latitude it crosses (`GeodesicBound`); the longitude, by `longitudeReach(within:)` for
    /// positions up to 90° of longitude away, and because a position farther round lies at
    /// least 90° − |φ| from the point on the unit sphere, which the existence of the reach puts
    /// beyond `metres`.
    public static func degrees(around position: Position, within metres: Double) -> (longitude: Double, latitude: Double)? {
        guard metres.isFinite, metres >= 0, position.isFinite,
              let longitude = GeodesicBound(position).longitudeReach(within: metres) else { return nil }
        let latitude = (metres + 1e-6) / GeodesicBound.radius * 180 / .pi * (1 + 1e-9) + 1e-9
        return (longitude, latitude)
    }

    /// Degrees: at least the planar distance in longitude/latitude (`√(Δλ² + Δφ²)`, Δλ the
    /// short way round) from `position` to any position within `metres` of it; nil when the
    /// band of latitudes those positions may have reaches a pole.
    ///
    /// ```swift
    /// GeodesicReach.planarDegrees(around: Position(x: 51.4, y: 35.7), within: 1_000)   // ≈ 0.0111
    /// ```
    /// Why it holds: every position of the geodesic to a position within `metres` lies within
    /// `metres` of the point, so within the band of latitudes `degrees` gives, where cos φ is at
    /// least c (its value at the band's edge nearer a pole). Along the path ds² = M² dφ² +
    /// N² cos²φ dλ² ≥ R² (dφ² + c² dλ²), R = a(1 − e²), so the path is at least R times the
    /// straight line in the plane of (c λ, φ): c² Δλ² + Δφ² ≤ (metres / R)². On that ellipse
    /// Δλ² + Δφ² is largest at its end on the parallel: (metres / R) / c.
    public static func planarDegrees(around position: Position, within metres: Double) -> Double? {
        guard metres.isFinite, metres >= 0, position.isFinite else { return nil }
        let angle = (metres + 1e-6) / GeodesicBound.radius * 180 / .pi * (1 + 1e-9) + 1e-9
        let edge = abs(position.y) + angle
        guard edge < 90 else { return nil }
        return angle / cos(edge * .pi / 180) * (1 + 1e-9) + 1e-9
    }
}
