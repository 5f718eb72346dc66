import ArgumentParser
import Geometry

struct GeoTransform: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transform",
        abstract: "Reproject a geometry; the output uses the input's encoding.",
        discussion: """
            Example: graveatlas geo transform --from EPSG:4326 --to EPSG:32639 'POINT (51.389 35.689)'. \
            Both systems must be horizontal (geographic or projected); a vertical CRS such as \
            EPSG:5773 is refused (exit 2).
            """
    )

    @Option(help: "CRS of the input: EPSG:n, WKT, ESRI WKT, PROJJSON or a PROJ string.")
    var from: String

    @Option(help: "CRS of the output, in any of the same forms.")
    var to: String

    @Argument(help: "WKT, GeoJSON or hex WKB; standard input when absent.")
    var geometry: String?

    func run() throws {
        let source = try crs(from, option: "--from"), target = try crs(to, option: "--to")
        let input = try GeometryInput.read(geometry)
        let transformer = try Transformer(from: source, to: target)
        // The command's answer goes to standard output, in the form the geometry came in.
        print(input.encode(try transformer.transform(input.geometry)))
    }
}

struct GeoMeasure: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Area, perimeter, length and centroid of a geometry, in metres on the WGS84 ellipsoid.",
        discussion: """
            Prints {"area_m2", "perimeter_m", "length_m", "centroid": [lon, lat]}. Coordinates outside \
            -180…180, -90…90 and invalid polygons (a self-crossing bowtie) are refused (exit 2; \
            `geo validate` gives the repair). Edges are geodesics, except in a ring drawn across a \
            pole or from -180 to 180 along a parallel (the whole world, a polar cap), which is read \
            as written in longitude/latitude (RFC 7946).
            """
    )

    @Option(help: "CRS of the input (default EPSG:4326, longitude first).")
    var crs: String?

    @Argument(help: "WKT, GeoJSON or hex WKB; standard input when absent.")
    var geometry: String?

    func run() throws {
        let g = try geographic(GeometryInput.read(geometry).geometry, crs: crs)
        try LongitudeLatitude.require(g, label: "geometry")
        try requireValid(g)
        let geodesic = Geodesic.wgs84
        var members: [(String, JSONValue)] = [
            ("area_m2", .number(geodesic.area(of: g))),
            ("perimeter_m", .number(geodesic.perimeter(of: g))),
            ("length_m", .number(geodesic.length(of: g))),
        ]
        if case let .point(c) = try g.centroid {
            members.append(("centroid", .array([.number(c.position.x), .number(c.position.y)])))
        } else {
            members.append(("centroid", .null))
        }
        printJSON(members)
    }
}

struct GeoDistance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "distance",
        abstract: "Shortest geodesic distance between two geometries in metres (0 when they intersect).",
        discussion: "Prints {\"distance_m\"}. Coordinates outside -180…180, -90…90 are refused (exit 2)."
    )

    @Option(help: "CRS of both inputs (default EPSG:4326, longitude first).")
    var crs: String?

    @Argument(help: "The first geometry.")
    var a: String

    @Argument(help: "The second geometry.")
    var b: String

    func run() throws {
        let first = try geographic(GeometryInput.read(a, label: "first geometry").geometry, crs: crs)
        let second = try geographic(GeometryInput.read(b, label: "second geometry").geometry, crs: crs)
        try LongitudeLatitude.require(first, label: "first geometry")
        try LongitudeLatitude.require(second, label: "second geometry")
        printJSON([("distance_m", .number(try Geodesic.wgs84.distance(between: first, and: second)))])
    }
}

struct GeoValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check OGC validity; say why not and give the repaired geometry as WKT.",
        discussion: "Prints {\"valid\", \"reason\", \"repaired\"}; reason and repaired are null when valid."
    )

    @Argument(help: "WKT, GeoJSON or hex WKB; standard input when absent.")
    var geometry: String?

    func run() throws {
        let g = try GeometryInput.read(geometry).geometry
        let validity = try g.validity
        var reason = JSONValue.null, repaired = JSONValue.null
        if !validity.isValid {
            var text = validity.reason ?? "invalid"
            if let at = validity.location { text += " at \(at.x) \(at.y)" }
            reason = .string(text)
            repaired = .string(try g.makeValid().wkt)
        }
        printJSON([("valid", .bool(validity.isValid)), ("reason", reason), ("repaired", repaired)])
    }
}

/// Refuses an invalid polygon: its area would be a number that means nothing (a bowtie's
/// two lobes cancel out to 0).
private func requireValid(_ geometry: Geometry) throws {
    guard geometry.isPolygonal else { return }
    let validity = try geometry.validity
    guard !validity.isValid else { return }
    var reason = validity.reason ?? "invalid"
    if let at = validity.location { reason += " at \(at.x) \(at.y)" }
    throw InputError("geometry: the polygon is invalid (\(reason)): it has no area; `graveatlas geo validate` gives its repair")
}

/// The geometry in EPSG:4326, transformed from `crs` when one is given.
private func geographic(_ geometry: Geometry, crs definition: String?) throws -> Geometry {
    guard let definition else { return geometry }
    let source = try crs(definition, option: "--crs")
    return try Transformer(from: source, to: CoordinateReferenceSystem("EPSG:4326")).transform(geometry)
}

struct GeoBuffer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "buffer",
        abstract: "The area within a distance in metres of a geometry, on the WGS84 ellipsoid.",
        discussion: "Example: graveatlas geo buffer --metres 10000 'POINT (51.389 35.689)' | graveatlas geo measure"
    )

    @Option(parsing: .unconditional, help: "Distance in metres (positive).")
    var metres: Double

    @Option(parsing: .unconditional, help: "Vertices per full circle.")
    var segments: Int = 128

    @Argument(help: "WKT, GeoJSON or hex WKB in EPSG:4326; standard input when absent.")
    var geometry: String?

    func validate() throws {
        guard metres > 0, metres.isFinite else { throw ValidationError("--metres must be a positive number of metres") }
        guard (8...4096).contains(segments) else { throw ValidationError("--segments must be between 8 and 4096") }
    }

    /// The most vertices a geometry may have: GEOS unions one rounded piece per vertex, and
    /// the time grows faster than the count (10,000 scattered points took about 6 s; 50,000
    /// ran for minutes).
    static let maximumVertices = 10_000

    func run() throws {
        let input = try GeometryInput.read(geometry)
        var vertices = 0
        input.geometry.forEachPosition { _ in vertices += 1 }
        guard vertices <= Self.maximumVertices else {
            throw InputError("geo buffer: the geometry has \(vertices) vertices, more than the \(Self.maximumVertices) "
                + "it buffers in reasonable time; simplify it first (ogr2ogr -simplify) or buffer it in parts")
        }
        // The command's answer goes to standard output, in the form the geometry came in.
        print(input.encode(try Geodesic.wgs84.buffer(input.geometry, metres: metres, segments: segments)))
    }
}
