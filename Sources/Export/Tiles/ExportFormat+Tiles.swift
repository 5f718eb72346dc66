extension ExportFormat {
    /// Vector tiles in the container the output name chooses (`TileContainer`), with TileJSON
    /// and a map style beside them; an output that no container claims is a folder.
    ///
    /// ```swift
    /// ExportFormat.tiles.writesFolder("out/tiles")       // true
    /// ExportFormat.tiles.writesFolder("sites.pmtiles")   // false
    /// ```
    /// The features are held until the end: tiles are cut from all of them at once.
    public static let tiles = ExportFormat(
        name: "tiles",
        writesFolder: { TileContainer.chosen(for: $0).fileExtension == nil }
    ) { destination in
        HeldTiles(destination)
    }
}

/// Holds an export's features, then cuts them into tiles when finished.
final class HeldTiles: ExportSink {
    private let destination: ExportDestination
    private var held: [ExportFeature] = []

    init(_ destination: ExportDestination) { self.destination = destination }

    var needsSites: Bool { false }
    func write(_ record: OutputRecord) throws { held.append(record.feature(destination.columns)) }
    func finish() throws -> ExportWritten {
        let result = try TileExport.run(held, output: destination.output, options: destination.tileOptions)
        return ExportWritten(files: result.files, tiles: result.summary)
    }
}
