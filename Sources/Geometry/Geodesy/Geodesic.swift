import CPROJ

/// Geodesics on an ellipsoid (Karney's algorithms, as shipped in PROJ): distances in metres,
/// azimuths in degrees clockwise from north, positions in longitude, latitude degrees.
///
/// ```swift
/// let tehran = Position(longitude: 51.389, latitude: 35.689)
/// let ahvaz = Position(longitude: 48.669, latitude: 31.318)
/// Geodesic.wgs84.distance(tehran, ahvaz)   // ≈ 545 km, accurate to nanometres
/// ```
/// The ellipsoid's constants are fixed by `geod_init` and only read afterwards, so one value
/// is safely shared by every task.
public struct Geodesic: Sendable {
    let ellipsoid: geod_geodesic

    /// An ellipsoid of equatorial radius `a` metres and flattening `f`.
    public init(equatorialRadius a: Double, flattening f: Double) {
        var g = geod_geodesic()
        geod_init(&g, a, f)
        ellipsoid = g
    }

    /// The WGS84 ellipsoid (a = 6 378 137 m, f = 1/298.257223563).
    public static let wgs84 = Geodesic(equatorialRadius: 6_378_137, flattening: 1 / 298.257223563)

    /// Equatorial radius in metres.
    public var equatorialRadius: Double { ellipsoid.a }
    /// Flattening.
    public var flattening: Double { ellipsoid.f }

    /// The shortest distance in metres between two positions.
    ///
    /// Positions within 20 km of each other are measured from their chord
    /// (`shortLineDistance`, within 10 nm of `inverse`), others by the inverse problem.
    /// - Complexity: O(1); converges for every pair, antipodal ones included.
    public func distance(_ a: Position, _ b: Position) -> Double {
        if let short = shortLineDistance(a, b) { return short }
        // Without azimuths: geod_inverse skips solving for them when their pointers are null.
        var s12 = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_inverse(g, a.latitude, a.longitude, b.latitude, b.longitude, &s12, nil, nil)
        }
        return s12
    }

    /// The shortest geodesic between two positions: its length and its azimuths.
    public func inverse(_ a: Position, _ b: Position) -> GeodesicInverse {
        var s12 = 0.0, azi1 = 0.0, azi2 = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_inverse(g, a.latitude, a.longitude, b.latitude, b.longitude, &s12, &azi1, &azi2)
        }
        return GeodesicInverse(distance: s12, initialAzimuth: azi1, finalAzimuth: azi2)
    }

    /// The position reached by going `distance` metres from `start` along `azimuth`.
    ///
    /// The longitude comes back in [-180, 180].
    public func direct(from start: Position, azimuth: Double, distance: Double) -> Position {
        var lat2 = 0.0, lon2 = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_direct(g, start.latitude, start.longitude, azimuth, distance, &lat2, &lon2, nil)
        }
        return Position(longitude: lon2, latitude: lat2)
    }
}

/// The answer to the inverse geodesic problem.
public struct GeodesicInverse: Hashable, Sendable {
    /// Metres along the geodesic.
    public var distance: Double
    /// Azimuth at the first position, degrees clockwise from north.
    public var initialAzimuth: Double
    /// Forward azimuth at the second position (not the back azimuth), degrees.
    public var finalAzimuth: Double
}
