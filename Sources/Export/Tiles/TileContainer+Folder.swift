extension TileContainer {
    /// A folder of `z/x/y.mvt` files with `metadata.json`, `tilejson.json` and `style.json`
    /// inside it: what any output name no other container claims is written as. Its style holds
    /// the tile source inline (`tiles`), so a map needs no TileJSON request.
    ///
    /// ```swift
    /// TileContainer.folder.sidecars("out/tiles")   // ("out/tiles/tilejson.json", "out/tiles/style.json")
    /// ```
    public static let folder = TileContainer(
        name: "folder", fileExtension: nil,
        cut: { tiler, spool, output, recorder in
            let sink = try TileFolderWriter(directory: output)
            let summary = try tiler.run(spool, into: TeeSink(sink, recorder))
            return Written(files: sink.writtenFiles, summary: summary)
        },
        tilesURL: { url("{z}/{x}/{y}.mvt", below: $1) },
        styleSource: { .tiles([url("{z}/{x}/{y}.mvt", below: $1)]) },
        sidecars: { ($0 + "/tilejson.json", $0 + "/style.json") })
}
