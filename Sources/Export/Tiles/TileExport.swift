import Foundation

/// Cuts tiles into the container the output name asks for, with TileJSON and a style beside it.
///
/// ```swift
/// let result = try TileExport.run(features, output: "sites.pmtiles", options: TileOptions(maxZoom: 14))
/// result.files   // ["sites.pmtiles", "sites.pmtiles.tilejson.json", "sites.pmtiles.style.json"]
/// ```
/// `*.pmtiles` → PMTiles v3, `*.mbtiles` → MBTiles 1.3, anything else → a folder of
/// `z/x/y.mvt` with `metadata.json`, `tilejson.json` and `style.json` inside it. An archive's
/// sidecars are named after the whole output name, so `a.pmtiles` and `a.mbtiles` side by side
/// keep their own TileJSON and style.
public enum TileExport {
    public enum Container: String, Sendable {
        case pmtiles, mbtiles, folder

        public init(output: String) {
            switch URL(fileURLWithPath: output).pathExtension.lowercased() {
            case "pmtiles": self = .pmtiles
            case "mbtiles": self = .mbtiles
            default: self = .folder
            }
        }
    }

    public struct Result: Sendable {
        public var container: Container
        /// Every file written, the tiles' container first (for a folder, each tile file).
        public var files: [String]
        public var summary: TileSummary
    }

    public static func run(_ features: [ExportFeature], output: String, options: TileOptions) throws -> Result {
        let tiler = try VectorTiler(options: options)
        let container = Container(output: output)
        let recorder = TilesetRecorder()
        var files: [String] = []
        let summary: TileSummary
        let tilesURL: String, styleSource: String, sidecarBase: String
        switch container {
        case .pmtiles:
            let sink = try PMTilesWriter(path: output)
            summary = try tiler.run(features, into: TeeSink(sink, recorder))
            files.append(output)
            let name = URL(fileURLWithPath: output).lastPathComponent
            tilesURL = "pmtiles://\(name)/{z}/{x}/{y}"
            styleSource = "pmtiles://\(name)"
            sidecarBase = output
        case .mbtiles:
            let sink = try MBTilesWriter(path: output)
            summary = try tiler.run(features, into: TeeSink(sink, recorder))
            files.append(output)
            tilesURL = "{z}/{x}/{y}.mvt"
            sidecarBase = output
            styleSource = URL(fileURLWithPath: sidecarBase + ".tilejson.json").lastPathComponent
        case .folder:
            let sink = try TileFolderWriter(directory: output)
            summary = try tiler.run(features, into: TeeSink(sink, recorder))
            files += sink.writtenFiles.map(\.path)
            tilesURL = "{z}/{x}/{y}.mvt"
            styleSource = "tilejson.json"
            sidecarBase = output + "/"
        }
        guard let tileset = recorder.tileset else {
            throw ExportError.invalidOption("the tiler finished without describing the tile set")
        }
        let tileJSONPath = container == .folder ? sidecarBase + "tilejson.json" : sidecarBase + ".tilejson.json"
        let stylePath = container == .folder ? sidecarBase + "style.json" : sidecarBase + ".style.json"
        try FileSystem.replace(Array(try TileJSON.document(tileset, tiles: [tilesURL]).utf8), at: tileJSONPath)
        try FileSystem.replace(Array(try MapStyle.document(tileset, source: styleSource).utf8), at: stylePath)
        files += [tileJSONPath, stylePath]
        return Result(container: container, files: files, summary: summary)
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
