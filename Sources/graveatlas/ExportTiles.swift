import ArgumentParser
import Export

/// `graveatlas export tiles STORE -o OUT.pmtiles|OUT.mbtiles|DIR [--minzoom Z] [--maxzoom Z]`.
struct ExportTiles: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tiles",
        abstract: "Write Mapbox vector tiles: PMTiles v3 (.pmtiles), MBTiles 1.3 (.mbtiles) or a z/x/y.mvt folder.",
        discussion: "TileJSON 3.0 and a MapLibre style are written beside the tiles (inside a folder).")

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ExportOptions

    @Option(parsing: .unconditional, help: "Lowest zoom.") var minzoom: Int = 0
    @Option(parsing: .unconditional, help: "Highest zoom; every site is present there.") var maxzoom: Int = 14

    func validate() throws {
        guard (0...24).contains(minzoom), (0...24).contains(maxzoom), minzoom <= maxzoom else {
            throw ValidationError("--minzoom and --maxzoom must lie within 0…24 with minzoom ≤ maxzoom, not \(minzoom)…\(maxzoom)")
        }
    }

    func run() throws {
        var job = try options.job(.tiles)
        job.tileOptions = TileOptions(minZoom: minzoom, maxZoom: maxzoom)
        try ExportRun.layer(job, store: store, cellSize: options.cellSize)
    }
}
