/// Writes aligned text columns for a terminal: the figures, then `OutputOptions.tableFields`
/// that the columns have (the `generalised` flag only when some row is generalised), then a
/// footer line (`3 sites`, and the summary).
///
/// ```
/// distance_m  id                                    name      site_type   status    condition
/// 412.5       6F1C…                                 Khavaran  mass_grave  reported  built_over
/// 1 site; numberMatched 40; 39 more matched
/// ```
/// Rows are held until `finish`, which measures the columns (in characters) before writing:
/// memory grows with the rows, so the table suits terminal-sized results.
public final class TableRowWriter: RowWriter {
    private let out: OutputFile
    private let shown: [Int]
    private var header: [String]
    private var rows: [[String]] = []

    public init(_ target: OutputTarget, columns: OutputColumns, options: OutputOptions) throws {
        let fields = Set(options.tableFields)
        shown = columns.keys.indices.filter { $0 < columns.figureCount || fields.contains(columns.keys[$0]) }
        header = shown.map { columns.keys[$0] }
        out = try OutputFile(target)
    }

    public func write(_ record: OutputRecord) throws {
        rows.append(shown.map { record.cells[$0].map(OutputBytes.text) ?? "" })
    }

    public func finish(summary: OutputSummary?) throws -> [String] {
        // The generalised flag is shown only when some row is generalised: an empty column is noise.
        if let flag = header.firstIndex(of: SiteField.generalisedKey), rows.allSatisfy({ $0[flag].isEmpty }) {
            header.remove(at: flag)
            for i in rows.indices { rows[i].remove(at: flag) }
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            var s = ""
            for (i, cell) in cells.enumerated() {
                if i > 0 { s += "  " }
                s += cell
                if i < cells.count - 1 { s += String(repeating: " ", count: widths[i] - cell.count) }
            }
            while s.last == " " { s.removeLast() }
            return s + "\n"
        }
        try out.write(line(header))
        for row in rows { try out.write(line(row)) }
        var footer = ["\(rows.count) site\(rows.count == 1 ? "" : "s")"]
        for member in summary?.members ?? [] { footer.append("\(member.key) \(OutputBytes.text(member.value))") }
        footer += summary?.notes ?? []
        try out.write(footer.joined(separator: "; ") + "\n")
        return try out.finish()
    }
}

extension OutputFormat {
    /// Aligned columns for a terminal.
    public static let table = OutputFormat(
        name: "table", summary: "aligned columns for a terminal (figures, id, name, type, status, condition)",
        fileExtension: "txt", mediaType: "text/plain; charset=utf-8", make: TableRowWriter.init)
}
