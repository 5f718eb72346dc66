import CPROJ

/// What kind of coordinate reference system PROJ says a definition is, and whether it
/// places points on the Earth's surface (horizontally) at all.
///
/// ```swift
/// try CoordinateReferenceSystem("EPSG:32639").kind          // "projected"
/// try CoordinateReferenceSystem("EPSG:5773").kind           // "vertical" (heights only)
/// try CoordinateReferenceSystem("EPSG:5773").isHorizontal   // false: no longitude, no easting
/// ```
/// A compound system (`EPSG:4326+5773`) or a bound one is judged by its horizontal part.
extension CoordinateReferenceSystem {
    /// The kind word for a PROJ type: `geographic`, `projected`, `vertical`, `geocentric` …
    static func kind(of object: ProjectionObject) -> String {
        switch proj_get_type(object.pointer) {
        case PJ_TYPE_GEOGRAPHIC_2D_CRS, PJ_TYPE_GEOGRAPHIC_3D_CRS, PJ_TYPE_GEOGRAPHIC_CRS: "geographic"
        case PJ_TYPE_PROJECTED_CRS: "projected"
        case PJ_TYPE_VERTICAL_CRS: "vertical"
        case PJ_TYPE_GEOCENTRIC_CRS: "geocentric"
        case PJ_TYPE_TEMPORAL_CRS: "temporal"
        case PJ_TYPE_ENGINEERING_CRS: "engineering"
        default: "other"
        }
    }

    /// Whether a system of this kind gives a position on the surface in two coordinates
    /// (longitude/latitude or easting/northing): every kind but vertical, temporal and
    /// geocentric (x, y, z through the Earth's centre).
    static func isHorizontal(kind: String) -> Bool {
        !["vertical", "temporal", "geocentric"].contains(kind)
    }

    /// Refuses a system that cannot carry a site's position (a vertical, temporal
    /// or geocentric one): `EPSG:5773` read as x, y once swapped longitude and latitude.
    ///
    /// - Throws: `GeometryError.unknownCRS` saying what kind the system is.
    public func requireHorizontal() throws {
        guard !isHorizontal else { return }
        throw GeometryError.unknownCRS(
            definition: label,
            message: "\(name) is a \(kind) CRS, not a horizontal one (geographic or projected): it cannot place a position")
    }
}
