import Geometry

/// One GeoJSON Feature as `GeoJSONRowWriter` writes it, into memory: for callers that answer
/// feature by feature (the server) rather than writing a file.
///
/// ```swift
/// let text = GeoJSONFeatureText(columns: columns, options: OutputOptions())
/// var bytes: [UInt8] = []
/// text.append(record, to: &bytes)   // {"type":"Feature","id":"6F1C…","bbox":[…],"geometry":{…},"properties":{…}}
/// text.append(record, extra: [("events", .array([]))], to: &bytes)   // …,"properties":{…,"events":[]}}
/// ```
/// The record is written exactly as the file writers write it (same members, same rounding), so
/// an answer and an export of the same site hold the same text. `extra` members follow the
/// record's own properties; the caller decides whether the audience may see them.
public struct GeoJSONFeatureText: Sendable {
    let members: JSONMembers
    public let decimals: Int

    public init(columns: OutputColumns, options: OutputOptions) {
        members = JSONMembers(columns)
        decimals = options.precision
    }

    /// Appends the feature for `record`, with `extra` members at the end of its properties.
    public func append(_ record: OutputRecord, extra: [(String, JSONValue)] = [], to out: inout [UInt8]) {
        Self.write(record, members: members, decimals: decimals, extra: extra, to: &out)
    }

    /// Writes one Feature object: `id`, `bbox` (a point's coordinates written once and placed
    /// twice), `geometry`, then `properties`.
    static func write<Sink: ByteSink>(_ record: OutputRecord, members: JSONMembers, decimals: Int,
                                      extra: [(String, JSONValue)] = [], to row: inout Sink) {
        OutputBytes.ascii(#"{"type":"Feature""#, to: &row)
        if let id = record.id {
            OutputBytes.ascii(#","id":"#, to: &row)
            OutputBytes.jsonString(id, to: &row)
        }
        if case let .point(p) = record.geometry {
            // Each coordinate's text once, placed in the box and in the geometry.
            OutputBytes.withRounded(p.position.x, decimals: decimals) { x in
                OutputBytes.withRounded(p.position.y, decimals: decimals) { y in
                    OutputBytes.ascii(#","bbox":["#, to: &row)
                    row.append(bytes: x)
                    row.append(byte: UInt8(ascii: ","))
                    row.append(bytes: y)
                    row.append(byte: UInt8(ascii: ","))
                    row.append(bytes: x)
                    row.append(byte: UInt8(ascii: ","))
                    row.append(bytes: y)
                    OutputBytes.ascii(#"],"geometry":{"type":"Point","coordinates":["#, to: &row)
                    row.append(bytes: x)
                    row.append(byte: UInt8(ascii: ","))
                    row.append(bytes: y)
                    OutputBytes.ascii("]}", to: &row)
                }
            }
        } else {
            if let box = record.geometry.boundingBox {
                OutputBytes.ascii(#","bbox":"#, to: &row)
                OutputBytes.box(box, decimals: decimals, to: &row)
            }
            OutputBytes.ascii(#","geometry":"#, to: &row)
            OutputBytes.geoJSON(record.geometry, decimals: decimals, to: &row)
        }
        OutputBytes.ascii(#","properties":{"#, to: &row)
        var any = members.write(record, to: &row)
        for (key, value) in extra {
            if any { row.append(byte: UInt8(ascii: ",")) }
            any = true
            OutputBytes.jsonString(key, to: &row)
            row.append(byte: UInt8(ascii: ":"))
            OutputBytes.json(value, to: &row)
        }
        OutputBytes.ascii("}}", to: &row)
    }
}
