import Geometry

extension OutputBytes {
    /// The RFC 7946 geometry object, exteriors counter-clockwise, coordinates rounded.
    ///
    /// ```swift
    /// OutputBytes.geoJSON(.point(p), decimals: 7, to: &out)   // {"type":"Point","coordinates":[51.389,35.689]}
    /// ```
    /// - Complexity: O(positions); a point is written without intermediate arrays.
    static func geoJSON<Sink: ByteSink>(_ geometry: Geometry, decimals: Int, to out: inout Sink) {
        if case let .point(p) = geometry {
            ascii(#"{"type":"Point","coordinates":["#, to: &out)
            number(p.position.x, decimals: decimals, to: &out)
            out.append(byte: UInt8(ascii: ","))
            number(p.position.y, decimals: decimals, to: &out)
            ascii("]}", to: &out)
        } else {
            geometry.orientedForGeoJSON().geoJSONBytes(precision: decimals).withUnsafeBufferPointer { out.append(bytes: $0) }
        }
    }

    /// A GeoJSON `bbox` array, rounded.
    static func box<Sink: ByteSink>(_ b: BoundingBox, decimals: Int, to out: inout Sink) {
        out.append(byte: UInt8(ascii: "["))
        number(b.minX, decimals: decimals, to: &out)
        out.append(byte: UInt8(ascii: ","))
        number(b.minY, decimals: decimals, to: &out)
        out.append(byte: UInt8(ascii: ","))
        number(b.maxX, decimals: decimals, to: &out)
        out.append(byte: UInt8(ascii: ","))
        number(b.maxY, decimals: decimals, to: &out)
        out.append(byte: UInt8(ascii: "]"))
    }

    /// OGC WKT with every coordinate rounded to `decimals` like GeoJSON (`POINT (37.05 1.5)`,
    /// not `37.050000000000004`).
    ///
    /// - Complexity: O(positions).
    static func wkt<Sink: ByteSink>(_ geometry: Geometry, decimals: Int, to out: inout Sink) {
        if case let .point(p) = geometry {
            ascii("POINT (", to: &out)
            number(p.position.x, decimals: decimals, to: &out)
            out.append(byte: 0x20)
            number(p.position.y, decimals: decimals, to: &out)
            out.append(byte: UInt8(ascii: ")"))
            return
        }
        let shown = (try? geometry.mappingPositions { Position(x: rounded($0.x, decimals), y: rounded($0.y, decimals)) })
            ?? geometry
        utf8(shown.wkt, to: &out)
    }
}
