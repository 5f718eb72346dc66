/// Writes RFC 7946 geometry objects as compact JSON bytes.
struct GeoJSONWriter {
    var out: [UInt8] = []
    let decimals: Int?

    mutating func ascii(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func position(_ p: Position) {
        out.append(UInt8(ascii: "["))
        NumberText.appendRounded(p.x, decimals: decimals, to: &out)
        out.append(UInt8(ascii: ","))
        NumberText.appendRounded(p.y, decimals: decimals, to: &out)
        out.append(UInt8(ascii: "]"))
    }

    mutating func list<T>(_ items: [T], _ body: (inout GeoJSONWriter, T) -> Void) {
        out.append(UInt8(ascii: "["))
        for (k, item) in items.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            body(&self, item)
        }
        out.append(UInt8(ascii: "]"))
    }

    mutating func positions(_ ps: [Position]) { list(ps) { w, p in w.position(p) } }

    mutating func polygon(_ p: Polygon) { list(p.rings) { w, r in w.positions(r.positions) } }

    mutating func write(_ geometry: Geometry) {
        switch geometry {
        case let .point(p):
            ascii(#"{"type":"Point","coordinates":"#)
            position(p.position)
        case let .lineString(l):
            ascii(#"{"type":"LineString","coordinates":"#)
            positions(l.positions)
        case let .polygon(p):
            ascii(#"{"type":"Polygon","coordinates":"#)
            polygon(p)
        case let .multiPoint(m):
            ascii(#"{"type":"MultiPoint","coordinates":"#)
            list(m.points) { w, p in w.position(p.position) }
        case let .multiLineString(m):
            ascii(#"{"type":"MultiLineString","coordinates":"#)
            list(m.lineStrings) { w, l in w.positions(l.positions) }
        case let .multiPolygon(m):
            ascii(#"{"type":"MultiPolygon","coordinates":"#)
            list(m.polygons) { w, p in w.polygon(p) }
        case let .geometryCollection(c):
            ascii(#"{"type":"GeometryCollection","geometries":"#)
            list(c.geometries) { w, g in w.write(g) }
        }
        out.append(UInt8(ascii: "}"))
    }
}

extension Geometry {
    /// The RFC 7946 geometry object, compact: `{"type":"Point","coordinates":[51.389,35.689]}`.
    ///
    /// ```swift
    /// g.geoJSON()               // full precision: reads back as exactly `g`
    /// g.geoJSON(precision: 6)   // coordinates rounded to 6 decimals (about 0.1 m)
    /// ```
    /// Numbers are in shortest round-trip form, integers without `.0`. Rings are written as
    /// they are; call `orientedForGeoJSON()` first for the right-hand rule.
    ///
    /// - Parameter precision: decimals to round every coordinate to (half away from zero); nil
    ///   keeps full precision. Values too large to carry that many decimals are left as they are.
    /// - Complexity: O(n), into one growing byte buffer.
    public func geoJSON(precision: Int? = nil) -> String {
        String(decoding: geoJSONBytes(precision: precision), as: UTF8.self)
    }

    /// `geoJSON(precision:)` as UTF-8 bytes, for writers that build documents in bytes.
    public func geoJSONBytes(precision: Int? = nil) -> [UInt8] {
        var writer = GeoJSONWriter(decimals: precision)
        var count = 0
        forEachPosition { _ in count += 1 }
        writer.out.reserveCapacity(48 + 40 * count)
        writer.write(self)
        return writer.out
    }

    /// The RFC 7946 geometry object as a `JSONValue`, to place inside a Feature.
    public func geoJSONValue(precision: Int? = nil) -> JSONValue {
        func position(_ p: Position) -> JSONValue {
            .array([
                .number(NumberText.rounded(p.x, decimals: precision)),
                .number(NumberText.rounded(p.y, decimals: precision)),
            ])
        }
        func positions(_ ps: [Position]) -> JSONValue { .array(ps.map(position)) }
        func polygon(_ p: Polygon) -> JSONValue { .array(p.rings.map { positions($0.positions) }) }
        func object(_ name: String, _ key: String, _ value: JSONValue) -> JSONValue {
            .object(JSONObject([.init("type", .string(name)), .init(key, value)]))
        }
        switch self {
        case let .point(p): return object("Point", "coordinates", position(p.position))
        case let .lineString(l): return object("LineString", "coordinates", positions(l.positions))
        case let .polygon(p): return object("Polygon", "coordinates", polygon(p))
        case let .multiPoint(m): return object("MultiPoint", "coordinates", .array(m.points.map { position($0.position) }))
        case let .multiLineString(m):
            return object("MultiLineString", "coordinates", .array(m.lineStrings.map { positions($0.positions) }))
        case let .multiPolygon(m): return object("MultiPolygon", "coordinates", .array(m.polygons.map(polygon)))
        case let .geometryCollection(c):
            return object("GeometryCollection", "geometries", .array(c.geometries.map { $0.geoJSONValue(precision: precision) }))
        }
    }
}
