extension ExportFormat {
    /// Vector tiles in the container the output name chooses (`TileContainer`), with TileJSON
    /// and a map style beside them; an output that no container claims is a folder.
    ///
    /// ```swift
    /// ExportFormat.tiles.writesFolder("out/tiles")       // true
    /// ExportFormat.tiles.writesFolder("sites.pmtiles")   // false
    /// ```
    /// Each feature is spooled as it comes (a compact record in memory, its bytes in a scratch
    /// file beside the output, `SiteSpool`); tiles are cut from the spool when finished.
    public static let tiles = ExportFormat(
        name: "tiles",
        writesFolder: { TileContainer.chosen(for: $0).fileExtension == nil }
    ) { destination in
        try SpooledTiles(destination)
    }
}

/// Spools an export's features, then cuts them into tiles when finished; the scratch file is
/// removed when it is finished or dropped (an error, a signal).
final class SpooledTiles: ExportSink {
    private let destination: ExportDestination
    private let spool: SiteSpool

    init(_ destination: ExportDestination) throws {
        self.destination = destination
        spool = try SiteSpool(options: destination.tileOptions, scratchBeside: destination.output)
    }

    var needsSites: Bool { false }
    func write(_ record: OutputRecord) throws { try spool.add(record.feature(destination.columns)) }
    func finish() throws -> ExportWritten {
        defer { spool.discard() }
        let result = try TileExport.run(spool, output: destination.output, options: destination.tileOptions)
        return ExportWritten(files: result.files, tiles: result.summary)
    }
}
