import Geometry

/// Writes a JSON array of objects, streamed: one object per row with the figures, the site's
/// fields (with `id`), the `source` object where the audience sees it, and the `geometry` as
/// an RFC 7946 geometry object.
///
/// ```swift
/// let w = try JSONRowWriter(.standardOutput, columns: columns, options: OutputOptions())
/// // [{"distance_m":412.5,"id":"6F1C…","name":"Khavaran",…,"geometry":{"type":"Point",…}},
/// //  …]
/// ```
/// One object per line, so that large outputs stay readable with line tools. An array has no
/// room for a summary; it is not written.
public final class JSONRowWriter: RowWriter {
    public let options: OutputOptions
    private let out: OutputFile
    /// Each row is written here, then copied to `out` in one piece.
    private var row = RowBuffer()
    private let members: JSONMembers
    private var count = 0

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions) throws {
        self.options = options
        members = JSONMembers(columns)
        out = try OutputFile(target)
        try out.write("[")
    }

    public func write(_ record: OutputRecord) throws {
        let decimals = options.precision
        var row = self.row
        row.removeAll()
        if count > 0 { row.append(byte: UInt8(ascii: ",")) }
        row.append(byte: UInt8(ascii: "\n"))
        row.append(byte: UInt8(ascii: "{"))
        if members.write(record, to: &row) { row.append(byte: UInt8(ascii: ",")) }
        OutputBytes.ascii(#""geometry":"#, to: &row)
        OutputBytes.geoJSON(record.geometry, decimals: decimals, to: &row)
        row.append(byte: UInt8(ascii: "}"))
        self.row = row
        try row.withBytes { try out.write($0) }
        count += 1
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        try out.write(count > 0 ? "\n]\n" : "]\n")
        return try out.finish()
    }
}

extension OutputFormat {
    /// A JSON array of objects.
    public static let json = OutputFormat(
        name: "json", summary: "a JSON array of objects (figures, fields, source, geometry)",
        fileExtension: "json", mediaType: "application/json", make: JSONRowWriter.init)
}
