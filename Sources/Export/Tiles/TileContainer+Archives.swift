import Foundation

extension TileContainer {
    /// PMTiles v3, one file (`*.pmtiles`); the style reaches it through the `pmtiles://` protocol.
    ///
    /// ```swift
    /// TileContainer.pmtiles.tilesURL("out/sites.pmtiles")   // "pmtiles://sites.pmtiles/{z}/{x}/{y}"
    /// ```
    public static let pmtiles = TileContainer(
        name: "pmtiles", fileExtension: "pmtiles",
        cut: { tiler, spool, output, recorder in
            let sink = try PMTilesWriter(path: output)
            return Written(files: [output], summary: try tiler.run(spool, into: TeeSink(sink, recorder)))
        },
        tilesURL: { "pmtiles://\(URL(fileURLWithPath: $0).lastPathComponent)/{z}/{x}/{y}" },
        styleSource: { "pmtiles://\(URL(fileURLWithPath: $0).lastPathComponent)" },
        sidecars: { besideArchive($0) })

    /// MBTiles 1.3, one SQLite file (`*.mbtiles`); the style reaches it through its TileJSON.
    ///
    /// ```swift
    /// TileContainer.mbtiles.styleSource("out/a.mbtiles")   // "a.mbtiles.tilejson.json"
    /// ```
    public static let mbtiles = TileContainer(
        name: "mbtiles", fileExtension: "mbtiles",
        cut: { tiler, spool, output, recorder in
            let sink = try MBTilesWriter(path: output)
            return Written(files: [output], summary: try tiler.run(spool, into: TeeSink(sink, recorder)))
        },
        tilesURL: { _ in "{z}/{x}/{y}.mvt" },
        styleSource: { URL(fileURLWithPath: besideArchive($0).tileJSON).lastPathComponent },
        sidecars: { besideArchive($0) })
}
