import ArgumentParser

/// `graveatlas geo …`: the geometry core, for analysts and for checking it.
struct Geo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Transform, measure, compare and validate single geometries.",
        discussion: """
            Geometries are WKT, GeoJSON or hex WKB (as PostGIS prints it), given as an argument \
            or on standard input. Coordinates are longitude, latitude unless --crs says otherwise; \
            distances and areas are metres on the WGS84 ellipsoid.
            """,
        subcommands: [GeoTransform.self, GeoMeasure.self, GeoDistance.self, GeoBuffer.self, GeoValidate.self]
    )
}
