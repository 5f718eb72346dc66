import Geometry

/// Writes RFC 7946 GeoJSON, streamed: a FeatureCollection, or with `sequence` an RFC 8142
/// GeoJSON text sequence (each feature prefixed by RS, 0x1E, and ended by a newline).
///
/// ```swift
/// let w = try GeoJSONLayerWriter(path: "sites.geojson", precision: 7)
/// try w.write(feature)   // {"type":"Feature","id":"…","bbox":[…],"geometry":{…},"properties":{…}}
/// _ = try w.finish()     // …],"bbox":[W,S,E,N]}
/// ```
/// Longitude first; polygons follow the right-hand rule (exteriors counter-clockwise); every
/// feature carries its `bbox` and the collection's `bbox` is written after the features
/// (JSON members are unordered, so streaming does not need it in advance). Coordinates are
/// rounded to `precision` decimals (7 ≈ 1 cm). An empty collection has no `bbox`.
public final class GeoJSONLayerWriter: FeatureWriter {
    public let precision: Int
    public let sequence: Bool
    private let out: OutputFile
    private var count = 0
    private var bounds: BoundingBox?
    private var buffer: [UInt8] = []

    public init(path: String, precision: Int = 7, sequence: Bool = false) throws {
        self.precision = precision
        self.sequence = sequence
        out = try OutputFile(path: path)
        if !sequence { try out.write(#"{"type":"FeatureCollection","features":["#) }
    }

    public func write(_ feature: ExportFeature) throws {
        buffer.removeAll(keepingCapacity: true)
        if sequence {
            buffer.append(0x1E)
        } else if count > 0 {
            buffer.append(UInt8(ascii: ","))
        }
        append(#"{"type":"Feature","id":"#)
        JSONValue.string(feature.siteID).appendEncoded(to: &buffer)
        if let box = feature.geometry.boundingBox {
            append(#","bbox":"#)
            appendBox(box)
            if bounds == nil { bounds = box } else { bounds?.extend(box) }
        }
        append(#","geometry":"#)
        buffer.append(contentsOf: feature.geometry.orientedForGeoJSON().geoJSONBytes(precision: precision))
        append(#","properties":{"#)
        for (k, p) in feature.properties.enumerated() {
            if k > 0 { buffer.append(UInt8(ascii: ",")) }
            JSONValue.string(p.key).appendEncoded(to: &buffer)
            buffer.append(UInt8(ascii: ":"))
            p.value.jsonValue.appendEncoded(to: &buffer)
        }
        append("}}")
        if sequence { buffer.append(UInt8(ascii: "\n")) }
        try out.write(buffer)
        count += 1
    }

    public func finish() throws -> [String] {
        if !sequence {
            buffer.removeAll(keepingCapacity: true)
            append("]")
            if let bounds {
                append(#","bbox":"#)
                appendBox(bounds)
            }
            append("}\n")
            try out.write(buffer)
        }
        try out.close()
        return [out.path]
    }

    private func append(_ s: StaticString) {
        s.withUTF8Buffer { buffer.append(contentsOf: $0) }
    }

    private func appendBox(_ b: BoundingBox) {
        JSONValue.array([b.minX, b.minY, b.maxX, b.maxY].map { .number(Self.rounded($0, precision)) })
            .appendEncoded(to: &buffer)
    }

    static func rounded(_ v: Double, _ decimals: Int) -> Double {
        let scale = pow10(decimals)
        let r = (v * scale).rounded() / scale
        return r.isFinite ? r : v
    }

    static func pow10(_ n: Int) -> Double {
        var s = 1.0
        for _ in 0..<max(0, n) { s *= 10 }
        return s
    }
}

extension PropertyValue {
    /// The value as JSON (non-finite doubles become null).
    public var jsonValue: JSONValue {
        switch self {
        case let .string(s): .string(s)
        case let .int(i): .number(Double(i))
        case let .double(d): d.isFinite ? .number(d) : .null
        case let .bool(b): .bool(b)
        case .null: .null
        }
    }
}
