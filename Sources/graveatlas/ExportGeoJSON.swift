import ArgumentParser
import Export

/// `graveatlas export geojson STORE -o OUT [--precision N] [--seq]`.
struct ExportGeoJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geojson",
        abstract: "Write an RFC 7946 FeatureCollection (or, with --seq, an RFC 8142 text sequence), streamed.")

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var options: ExportOptions

    @Option(parsing: .unconditional, help: "Decimals kept in coordinates (7 ≈ 1 cm).")
    var precision: Int = 7

    @Flag(help: "Write a GeoJSON text sequence: one feature per line, each after an RS character.")
    var seq = false

    func validate() throws {
        guard (0...15).contains(precision) else { throw ValidationError("--precision must be 0…15, not \(precision)") }
    }

    func run() throws {
        var job = try options.job(seq ? .geojsonseq : .geojson)
        job.options.precision = precision
        try ExportRun.layer(job, store: store.store, cellSize: options.cellSize)
    }
}
