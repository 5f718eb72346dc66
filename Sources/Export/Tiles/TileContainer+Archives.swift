import Foundation

extension TileContainer {
    /// PMTiles v3, one file (`*.pmtiles`); the style reaches it through the `pmtiles://` protocol.
    ///
    /// ```swift
    /// TileContainer.pmtiles.tilesURL("out/sites.pmtiles", nil)   // "pmtiles://sites.pmtiles/{z}/{x}/{y}"
    /// TileContainer.pmtiles.tilesURL("out/sites.pmtiles", try TileBaseURL("https://maps.example.org"))
    /// // "pmtiles://https://maps.example.org/sites.pmtiles/{z}/{x}/{y}"
    /// ```
    public static let pmtiles = TileContainer(
        name: "pmtiles", fileExtension: "pmtiles",
        cut: { tiler, spool, output, recorder in
            let sink = try PMTilesWriter(path: output)
            return Written(files: [output], summary: try tiler.run(spool, into: TeeSink(sink, recorder)))
        },
        tilesURL: { "pmtiles://" + url(URL(fileURLWithPath: $0).lastPathComponent, below: $1) + "/{z}/{x}/{y}" },
        styleSource: { .url("pmtiles://" + url(URL(fileURLWithPath: $0).lastPathComponent, below: $1)) },
        sidecars: { besideArchive($0) })

    /// MBTiles 1.3, one SQLite file (`*.mbtiles`); the style reaches it through its TileJSON.
    ///
    /// ```swift
    /// TileContainer.mbtiles.styleSource("out/a.mbtiles", nil)   // .url("a.mbtiles.tilejson.json")
    /// ```
    /// Its tiles are where a tile server publishes the archive: `{z}/{x}/{y}.mvt` below the base URL.
    public static let mbtiles = TileContainer(
        name: "mbtiles", fileExtension: "mbtiles",
        cut: { tiler, spool, output, recorder in
            let sink = try MBTilesWriter(path: output)
            return Written(files: [output], summary: try tiler.run(spool, into: TeeSink(sink, recorder)))
        },
        tilesURL: { url("{z}/{x}/{y}.mvt", below: $1) },
        styleSource: { .url(url(URL(fileURLWithPath: besideArchive($0).tileJSON).lastPathComponent, below: $1)) },
        sidecars: { besideArchive($0) })
}
