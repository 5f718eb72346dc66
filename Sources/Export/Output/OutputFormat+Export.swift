extension ExportFormat {
    /// The export format that writes `layer`'s rows to the output file as they come.
    ///
    /// ```swift
    /// ExportFormat(layer: .geojson).name   // "geojson"
    /// ```
    public init(layer: OutputFormat) {
        self.init(name: layer.name) { destination in
            RowExportSink(try layer.make(.file(destination.output), destination.columns, destination.options))
        }
    }
}

/// An `ExportSink` over a `RowWriter`: records stream to the file, memory stays flat.
final class RowExportSink: ExportSink {
    private let writer: any RowWriter

    init(_ writer: any RowWriter) { self.writer = writer }

    var needsSites: Bool { writer.needsSites }
    func write(_ record: OutputRecord) throws { try writer.write(record) }
    func finish() throws -> ExportWritten { ExportWritten(files: WrittenFiles(try writer.finish(summary: nil))) }
}
