import Geometry

/// Writes RFC 7946 GeoJSON, streamed: a FeatureCollection, or with `sequence` an RFC 8142 text
/// sequence (each feature after an RS, 0x1E, and ended by a newline).
///
/// ```swift
/// let w = try GeoJSONRowWriter(.file("sites.geojson"), columns: columns, options: OutputOptions())
/// try w.write(record)   // {"type":"Feature","id":"6F1C…","bbox":[…],"geometry":{…},"properties":{…}}
/// _ = try w.finish(summary: OutputSummary(["numberMatched": 40]))   // …],"bbox":[…],"numberMatched":40}
/// ```
/// Each feature's properties carry the figures, the site's fields (with `id`) and, where the
/// audience sees them, a `source` object. Longitude first; exteriors counter-clockwise; every
/// feature has its `bbox` and the collection's `bbox` follows the features (JSON members are
/// unordered, so streaming needs no second pass); an empty collection has none. The summary's
/// members (and its `notes`) are foreign members of the FeatureCollection; a sequence has no
/// room for them.
public final class GeoJSONRowWriter: RowWriter {
    public let options: OutputOptions
    public let sequence: Bool
    private let out: OutputFile
    /// Each row is written here, then copied to `out` in one piece.
    private var row = RowBuffer()
    private let members: JSONMembers
    private var count = 0
    private var bounds: BoundingBox?

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions, sequence: Bool = false) throws {
        self.options = options
        self.sequence = sequence
        members = JSONMembers(columns)
        out = try OutputFile(target)
        if !sequence { try out.write(#"{"type":"FeatureCollection","features":["#) }
    }

    public func write(_ record: OutputRecord) throws {
        let decimals = options.precision
        let box = record.geometry.boundingBox
        if let box { if bounds == nil { bounds = box } else { bounds?.extend(box) } }
        var row = self.row
        row.removeAll()
        if sequence {
            row.append(byte: 0x1E)
        } else if count > 0 {
            row.append(byte: UInt8(ascii: ","))
        }
        GeoJSONFeatureText.write(record, members: members, decimals: decimals, to: &row)
        if sequence { row.append(byte: UInt8(ascii: "\n")) }
        self.row = row
        try row.withBytes { try out.write($0) }
        count += 1
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        if !sequence {
            let decimals = options.precision
            try out.append { bytes in
                bytes.append(UInt8(ascii: "]"))
                if let bounds {
                    OutputBytes.ascii(#","bbox":"#, to: &bytes)
                    OutputBytes.box(bounds, decimals: decimals, to: &bytes)
                }
                for member in summary?.members ?? [] {
                    bytes.append(UInt8(ascii: ","))
                    OutputBytes.jsonString(member.key, to: &bytes)
                    bytes.append(UInt8(ascii: ":"))
                    OutputBytes.json(member.value, to: &bytes)
                }
                if let notes = summary?.notes, !notes.isEmpty {
                    OutputBytes.ascii(#","notes":"#, to: &bytes)
                    JSONValue.array(notes.map { .string($0) }).appendEncoded(to: &bytes)
                }
                OutputBytes.ascii("}\n", to: &bytes)
            }
        }
        return try out.finish()
    }
}

extension OutputFormat {
    /// One RFC 7946 FeatureCollection.
    public static let geojson = OutputFormat(
        name: "geojson", summary: "a GeoJSON FeatureCollection (figures and fields as properties)",
        fileExtension: "geojson", mediaType: "application/geo+json"
    ) { target, columns, options in try GeoJSONRowWriter(target, columns: columns, options: options) }

    /// An RFC 8142 GeoJSON text sequence, one feature per line.
    public static let geojsonseq = OutputFormat(
        name: "geojsonseq", summary: "a GeoJSON text sequence (RFC 8142), one feature per line",
        fileExtension: "geojsons", mediaType: "application/geo+json-seq"
    ) { target, columns, options in try GeoJSONRowWriter(target, columns: columns, options: options, sequence: true) }
}
