import Geometry

/// Writes CSV (RFC 4180, CRLF line ends): a header, then one line per row — figures, the site's
/// fields, `source:FIELD` columns, then the geometry as `wkt` or as `lon`,`lat` of its centroid.
///
/// ```swift
/// let w = try CSVRowWriter(.file("sites.csv"), columns: columns, options: OutputOptions())
/// // distance_m,id,name,name:fa,…,source:NOMBRE,wkt
/// // 412.5,6F1C…,Khavaran,خاوران,…,,POINT (51.4731 35.6322)
/// ```
/// Cells holding a comma, quote, CR or LF are quoted, quotes doubled; a missing value is an
/// empty cell. Coordinates are rounded to `precision` decimals, like GeoJSON. CSV is rows
/// only: a summary is never written.
public final class CSVRowWriter: RowWriter {
    public let columns: OutputColumns
    public let options: OutputOptions
    private let out: OutputFile
    /// Each row is written here, then copied to `out` in one piece.
    private var row = RowBuffer()
    private let context: GEOSContext?
    private var sourceCells: [PropertyValue?]
    private var lastSourceKeys: [String] = []
    private var lastSourceSlots: [Int] = []

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions) throws {
        self.columns = columns
        self.options = options
        context = options.csvGeometry == .centroid ? try GEOSContext() : nil
        sourceCells = Array(repeating: nil, count: columns.sourceFields.count)
        out = try OutputFile(target)
        if options.excel { try out.write([0xEF, 0xBB, 0xBF]) }
        let header = columns.header + (options.csvGeometry == .wkt ? ["wkt"] : ["lon", "lat"])
        try out.append { bytes in
            for (k, name) in header.enumerated() {
                if k > 0 { bytes.append(UInt8(ascii: ",")) }
                OutputBytes.csvCell(name, to: &bytes)
            }
            bytes.append(contentsOf: [0x0D, 0x0A])
        }
    }

    public func write(_ record: OutputRecord) throws {
        let centre = try centroid(record)
        if !sourceCells.isEmpty {
            for k in sourceCells.indices { sourceCells[k] = nil }
            if let source = record.source {
                let slots = sourceSlots(source)
                for (member, k) in zip(source.members, slots) where k >= 0 {
                    sourceCells[k] = OutputBytes.property(member.value)
                }
            }
        }
        let decimals = options.precision
        var row = self.row
        row.removeAll()
        record.cells.withUnsafeBufferPointer { cells in
            for i in 0..<cells.count {
                switch cells[i] {
                case let .string(s)?: OutputBytes.csvCell(s, to: &row)
                case let cell?: OutputBytes.text(cell, to: &row)
                case nil: break
                }
                row.append(byte: UInt8(ascii: ","))
            }
        }
        for cell in sourceCells {
            if let cell { OutputBytes.csv(cell, to: &row) }
            row.append(byte: UInt8(ascii: ","))
        }
        if let centre {
            OutputBytes.number(centre.x, decimals: decimals, to: &row)
            row.append(byte: UInt8(ascii: ","))
            OutputBytes.number(centre.y, decimals: decimals, to: &row)
        } else if case .point = record.geometry {
            OutputBytes.wkt(record.geometry, decimals: decimals, to: &row)
        } else {
            // Any other WKT holds commas; it never holds a quote.
            row.append(byte: 0x22)
            OutputBytes.wkt(record.geometry, decimals: decimals, to: &row)
            row.append(byte: 0x22)
        }
        row.append(byte: 0x0D)
        row.append(byte: 0x0A)
        self.row = row
        try row.withBytes { try out.write($0) }
    }

    /// The source column of each member of `source` (-1: none). Source records of one import
    /// usually list the same keys in the same order, so the last row's answer is reused when
    /// its keys match, and the column index is asked only when they differ.
    private func sourceSlots(_ source: JSONObject) -> [Int] {
        let members = source.members
        if members.count == lastSourceKeys.count,
           zip(members, lastSourceKeys).allSatisfy({ $0.key == $1 }) {
            return lastSourceSlots
        }
        lastSourceKeys = members.map(\.key)
        lastSourceSlots = members.map { columns.sourceIndex[$0.key] ?? -1 }
        return lastSourceSlots
    }

    /// The centroid when CSV carries `lon`,`lat`; nil for WKT.
    private func centroid(_ record: OutputRecord) throws -> Position? {
        guard let context else { return nil }
        if case let .point(p) = record.geometry { return p.position }
        guard case let .point(p) = try context.centroid(record.geometry) else {
            throw ExportError.geometry(siteID: record.id ?? "", reason: "has no centroid")
        }
        return p.position
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        return try out.finish()
    }
}

extension OutputFormat {
    /// CSV rows for spreadsheets and GIS (`--csv-geometry` decides WKT or lon/lat).
    public static let csv = OutputFormat(
        name: "csv", summary: "CSV rows: figures, fields, source:FIELD columns, then WKT or lon,lat",
        fileExtension: "csv", mediaType: "text/csv; charset=utf-8", make: CSVRowWriter.init)
}
