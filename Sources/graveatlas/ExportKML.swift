import ArgumentParser
import Export

/// `graveatlas export kml STORE -o OUT`.
struct ExportKML: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kml", abstract: "Write KML 2.2: one placemark per site, names in every language, styled by condition.")

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ExportOptions

    func run() throws {
        var job = LayerExport(format: .kml, output: options.output, policy: options.policy())
        job.filter = try options.filter()
        try ExportRun.layer(job, store: store, cellSize: options.cellSize)
    }
}
