import ArgumentParser
import Export

/// `graveatlas export kml STORE -o OUT`.
struct ExportKML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kml", abstract: "Write KML 2.2: one placemark per site, names in every language, styled by condition.")

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var options: ExportOptions

    func run() throws {
        try ExportRun.layer(try options.job(.kml), store: store.store, cellSize: options.cellSize)
    }
}
