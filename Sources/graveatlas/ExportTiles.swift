import ArgumentParser
import Export

/// `graveatlas export tiles STORE -o OUT.pmtiles|OUT.mbtiles|DIR [--minzoom Z] [--maxzoom Z] [--base-url URL]`.
struct ExportTiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles",
        abstract: "Write Mapbox vector tiles: PMTiles v3 (.pmtiles), MBTiles 1.3 (.mbtiles) or a z/x/y.mvt folder.",
        discussion: """
            TileJSON 3.0 and a MapLibre style are written beside the tiles (inside a folder). With --base-url their \
            URLs are absolute below it, and the style loads in MapLibre as it is; without it they are relative to the \
            style's own location, and a page loading the style resolves them (MapLibre's transformRequest). The style \
            draws no text, so it needs no glyphs.
            """)

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var options: ExportOptions

    @Option(parsing: .unconditional, help: "Lowest zoom.") var minzoom: Int = 0
    @Option(parsing: .unconditional, help: "Highest zoom; every site is present there.") var maxzoom: Int = 14
    @Option(name: .customLong("base-url"),
            help: "The absolute http(s) URL the export is published at (e.g. https://maps.example.org/atlas/).")
    var baseURL: String?

    func validate() throws {
        guard (0...24).contains(minzoom), (0...24).contains(maxzoom), minzoom <= maxzoom else {
            throw ValidationError("--minzoom and --maxzoom must lie within 0…24 with minzoom ≤ maxzoom, not \(minzoom)…\(maxzoom)")
        }
        if let baseURL {
            do {
                _ = try TileBaseURL(baseURL)
            } catch let ExportError.invalidOption(reason) {
                throw ValidationError(reason)
            }
        }
    }

    func run() throws {
        var job = try options.job(.tiles)
        job.tileOptions = TileOptions(minZoom: minzoom, maxZoom: maxzoom)
        job.tileOptions.baseURL = try baseURL.map(TileBaseURL.init)
        try ExportRun.layer(job, store: store.store, cellSize: options.cellSize)
    }
}
