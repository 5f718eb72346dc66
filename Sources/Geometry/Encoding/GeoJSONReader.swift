/// A GeoJSON failure on its way out: the path is collected innermost first as the error passes
/// each level, so that no path text is built unless something is wrong.
struct GeoJSONFailure: Error {
    var components: [String]
    let reason: String

    init(_ reason: String, at component: String? = nil) {
        self.reason = reason
        components = component.map { [$0] } ?? []
    }

    /// `geometries[1].coordinates[0][3]`.
    var path: String {
        var out = ""
        for c in components.reversed() {
            if !out.isEmpty && !c.hasPrefix("[") { out += "." }
            out += c
        }
        return out
    }

    var geometryError: GeometryError { .invalidGeoJSON(path: path, reason: reason) }
}

/// Reads RFC 7946 geometry objects from `JSONValue`s.
enum GeoJSONReader {
    /// Geometry collections nested deeper than this are rejected.
    static let maximumDepth = 64

    /// Runs `body` on each element, adding `[k]` to the path of any failure.
    static func each<T>(
        _ items: [JSONValue], _ body: (JSONValue) throws(GeoJSONFailure) -> T
    ) throws(GeoJSONFailure) -> [T] {
        var out: [T] = []
        out.reserveCapacity(items.count)
        for (k, item) in items.enumerated() {
            do {
                out.append(try body(item))
            } catch {
                var failure = error
                failure.components.append("[\(k)]")
                throw failure
            }
        }
        return out
    }

    static func array(_ v: JSONValue, _ what: String) throws(GeoJSONFailure) -> [JSONValue] {
        guard case let .array(a) = v else { throw GeoJSONFailure("expected \(what) (an array), found \(v.kindName)") }
        return a
    }

    static func position(_ v: JSONValue) throws(GeoJSONFailure) -> Position {
        guard case let .array(a) = v else { throw GeoJSONFailure("expected a position (an array of numbers), found \(v.kindName)") }
        guard a.count >= 2 else {
            throw GeoJSONFailure("a position needs at least 2 numbers, found \(a.count)")
        }
        guard case let .number(x) = a[0], case let .number(y) = a[1] else {
            throw GeoJSONFailure("a position must hold numbers")
        }
        for extra in a.dropFirst(2) {
            guard case .number = extra else { throw GeoJSONFailure("a position must hold numbers") }
        }
        let p = Position(x: x, y: y)
        guard p.isFinite else { throw GeoJSONFailure("coordinate \(p) is not a finite number") }
        return p
    }

    static func positions(_ v: JSONValue) throws(GeoJSONFailure) -> [Position] {
        try each(try array(v, "a list of positions")) { (p: JSONValue) throws(GeoJSONFailure) in try position(p) }
    }

    static func lineString(_ v: JSONValue) throws(GeoJSONFailure) -> LineString {
        let ps = try positions(v)
        guard ps.count != 1 else { throw GeoJSONFailure("a line string has 1 position, needs 0 or at least 2") }
        return LineString(validatedPositions: ps)
    }

    static func ring(_ v: JSONValue) throws(GeoJSONFailure) -> LinearRing {
        let ps = try positions(v)
        guard ps.count >= 4 else {
            throw GeoJSONFailure("a linear ring has \(ps.count) positions, needs at least 4")
        }
        // count >= 4 was checked above, so the first and last positions exist.
        guard ps[0] == ps[ps.count - 1] else {
            throw GeoJSONFailure("linear ring is not closed: it starts at \(ps[0]) but ends at \(ps[ps.count - 1])")
        }
        return LinearRing(unchecked: ps)
    }

    static func polygon(_ v: JSONValue) throws(GeoJSONFailure) -> Polygon {
        Polygon(validatedRings: try each(try array(v, "a list of rings")) { (r: JSONValue) throws(GeoJSONFailure) in try ring(r) })
    }

    static func point(_ v: JSONValue) throws(GeoJSONFailure) -> Point {
        if case let .array(a) = v, a.isEmpty {
            throw GeoJSONFailure("empty point: GraveAtlas has no empty point")
        }
        return Point(validatedPosition: try position(v))
    }

    /// The member `name` of `object`, with `name` added to the path of any failure.
    static func member<T>(
        _ object: JSONObject, _ name: String, _ body: (JSONValue) throws(GeoJSONFailure) -> T
    ) throws(GeoJSONFailure) -> T {
        guard let v = object[name] else { throw GeoJSONFailure("missing member \"\(name)\"", at: name) }
        do {
            return try body(v)
        } catch {
            var failure = error
            failure.components.append(name)
            throw failure
        }
    }

    static func geometry(_ v: JSONValue, depth: Int = 0) throws(GeoJSONFailure) -> Geometry {
        guard depth <= maximumDepth else {
            throw GeoJSONFailure("geometry collections are nested more than \(maximumDepth) deep")
        }
        guard case let .object(o) = v else { throw GeoJSONFailure("expected a geometry object, found \(v.kindName)") }
        guard let typeValue = o["type"] else { throw GeoJSONFailure("missing member \"type\"", at: "type") }
        guard case let .string(type) = typeValue else {
            throw GeoJSONFailure("\"type\" must be a string, found \(typeValue.kindName)", at: "type")
        }
        switch type {
        case "Point":
            return .point(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in try point(c) })
        case "LineString":
            return .lineString(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in try lineString(c) })
        case "Polygon":
            return .polygon(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in try polygon(c) })
        case "MultiPoint":
            return .multiPoint(MultiPoint(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in
                try each(try array(c, "a list of positions")) { (p: JSONValue) throws(GeoJSONFailure) in try point(p) }
            }))
        case "MultiLineString":
            return .multiLineString(MultiLineString(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in
                try each(try array(c, "a list of line strings")) { (l: JSONValue) throws(GeoJSONFailure) in try lineString(l) }
            }))
        case "MultiPolygon":
            return .multiPolygon(MultiPolygon(try member(o, "coordinates") { (c: JSONValue) throws(GeoJSONFailure) in
                try each(try array(c, "a list of polygons")) { (p: JSONValue) throws(GeoJSONFailure) in try polygon(p) }
            }))
        case "GeometryCollection":
            return .geometryCollection(GeometryCollection(try member(o, "geometries") { (g: JSONValue) throws(GeoJSONFailure) in
                try each(try array(g, "a list of geometries")) { (m: JSONValue) throws(GeoJSONFailure) in
                    try geometry(m, depth: depth + 1)
                }
            }))
        case "Feature", "FeatureCollection":
            throw GeoJSONFailure("expected a geometry, found a \(type)", at: "type")
        default:
            throw GeoJSONFailure("unknown geometry type \"\(type)\"", at: "type")
        }
    }
}

extension Geometry {
    /// Reads an RFC 7946 geometry object.
    ///
    /// ```swift
    /// let g = try Geometry(geoJSON: #"{"type": "Point", "coordinates": [51.389, 35.689, 1040]}"#)
    /// ```
    /// Extra numbers in a position (altitude) are dropped; other members (`bbox`, foreign
    /// members) are ignored. Features are not geometries: read them as `JSONValue` and pass
    /// their `"geometry"` member here.
    ///
    /// - Throws: `GeometryError.invalidGeoJSON(path:reason:)`, with a path such as
    ///   `coordinates[0][3]` or `geometries[1].type`, for a missing or unknown `type`, missing
    ///   `coordinates`, values of the wrong kind, positions with fewer than 2 numbers, an empty
    ///   Point, one-position line strings, short or unclosed rings, nesting deeper than 64.
    public init(geoJSON value: JSONValue) throws(GeometryError) {
        do {
            self = try GeoJSONReader.geometry(value)
        } catch {
            throw error.geometryError
        }
    }

    /// Parses the text as JSON, then reads it as `init(geoJSON:)` does.
    ///
    /// - Throws: `GeometryError.invalidJSON(offset:reason:)` when the text is not JSON, and the
    ///   errors of `init(geoJSON: JSONValue)`.
    public init(geoJSON text: String) throws(GeometryError) {
        try self.init(geoJSON: try JSONValue(parsing: text))
    }
}
