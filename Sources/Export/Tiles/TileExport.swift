import Foundation

/// Cuts tiles into the container the output name asks for, with TileJSON and a style beside it.
///
/// ```swift
/// let result = try TileExport.run(features, output: "sites.pmtiles", options: TileOptions(maxZoom: 14))
/// result.files   // ["sites.pmtiles", "sites.pmtiles.tilejson.json", "sites.pmtiles.style.json"]
/// ```
/// The container is chosen by the output's extension from `TileContainer.all`: `*.pmtiles` →
/// PMTiles v3, `*.mbtiles` → MBTiles 1.3, anything else → a folder of `z/x/y.mvt` with
/// `metadata.json`, `tilejson.json` and `style.json` inside it. An archive's sidecars are
/// named after the whole output name, so `a.pmtiles` and `a.mbtiles` side by side keep their
/// own TileJSON and style.
///
/// URLs: with `options.baseURL` (`--base-url`) every URL in the TileJSON and the style is
/// absolute below it, and the style loads in MapLibre as it is. Without it they are relative to
/// the style's own location (`{z}/{x}/{y}.mvt`, `a.mbtiles.tilejson.json`, `pmtiles://a.pmtiles`),
/// which MapLibre GL JS 5 does not resolve itself (it reads a TileJSON URL against the page and
/// cannot read a relative tile URL in its worker): a page loading such a style resolves them
/// with `transformRequest: (url) => ({url: new URL(url, styleURL).href})`. The style references
/// no glyphs: none are exported, so it draws no text.
public enum TileExport {
    /// The containers tiles are written into (see `TileContainer.all`).
    public typealias Container = TileContainer

    public struct Result: Sendable {
        public var container: TileContainer
        /// Every file written, the tiles' container first (for a folder, each tile file).
        public var files: WrittenFiles
        public var summary: TileSummary
    }

    /// Cuts features held in memory (spooled beside the output first).
    public static func run(_ features: [ExportFeature], output: String, options: TileOptions) throws -> Result {
        let spool = try SiteSpool(options: options, scratchBeside: output)
        defer { spool.discard() }
        for f in features { try spool.add(f) }
        return try run(spool, output: output, options: options)
    }

    /// Cuts a spool's sites (`SiteSpool`: added as an export's rows stream in).
    public static func run(_ spool: SiteSpool, output: String, options: TileOptions) throws -> Result {
        let tiler = try VectorTiler(options: options)
        let container = TileContainer.chosen(for: output)
        let recorder = TilesetRecorder()
        let written = try container.cut(tiler, spool, output, recorder)
        guard let tileset = recorder.tileset else {
            throw ExportError.invalidOption("the tiler finished without describing the tile set")
        }
        let (tileJSONPath, stylePath) = container.sidecars(output)
        let base = options.baseURL
        try FileSystem.replace(Array(try TileJSON.document(tileset, tiles: [container.tilesURL(output, base)]).utf8),
                               at: tileJSONPath)
        try FileSystem.replace(Array(try MapStyle.document(tileset, source: container.styleSource(output, base), glyphs: nil).utf8),
                               at: stylePath)
        return Result(container: container, files: written.files.appending(contentsOf: [tileJSONPath, stylePath]), summary: written.summary)
    }
}

/// Remembers the tile set description a run finishes with.
final class TilesetRecorder: TileSink {
    var tileset: TilesetDescription?
    func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {}
    func finish(_ tileset: TilesetDescription) throws { self.tileset = tileset }
}

/// Hands every tile to two sinks.
final class TeeSink<A: TileSink, B: TileSink>: TileSink {
    let a: A, b: B
    init(_ a: A, _ b: B) {
        self.a = a
        self.b = b
    }
    func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        try a.write(tile, mvt: mvt)
        try b.write(tile, mvt: mvt)
    }
    func finish(_ tileset: TilesetDescription) throws {
        try a.finish(tileset)
        try b.finish(tileset)
    }
}
