import Geometry

/// Refuses coordinates that are not a longitude and latitude, so that no command answers
/// for a point that does not exist (latitude 100 once gave `distance_m: null` and exit 0).
///
/// ```swift
/// try LongitudeLatitude.require(g, label: "first geometry")
/// // InputError: first geometry: (51.4, 100) is not a longitude/latitude: latitude must be within −90…90
/// ```
/// Longitude must lie in −180…180 and latitude in −90…90, both inclusive (RFC 7946).
enum LongitudeLatitude {
    static func require(_ geometry: Geometry, label: String) throws {
        var bad: Position?
        geometry.forEachPosition { p in
            if bad == nil, !contains(p) { bad = p }
        }
        guard let p = bad else { return }
        let which = (-90...90).contains(p.y) ? "longitude must be within -180…180" : "latitude must be within -90…90"
        throw InputError("\(label): (\(p.x), \(p.y)) is not a longitude/latitude: \(which)")
    }

    static func contains(_ p: Position) -> Bool {
        (-180...180).contains(p.x) && (-90...90).contains(p.y)
    }
}
