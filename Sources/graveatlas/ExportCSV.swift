import ArgumentParser
import Export

/// `graveatlas export csv STORE -o OUT [--geometry wkt|centroid] [--excel]`.
struct ExportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Write CSV: id, every field (names in every language, source:FIELD where shown), then WKT or centroid lon/lat.")

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var options: ExportOptions

    @Option(help: "How geometry is written: wkt (one column) or centroid (lon and lat columns).")
    var geometry: String = "wkt"

    @Flag(help: "Start the file with a UTF-8 byte-order mark, so that Excel reads Persian text.")
    var excel = false

    func validate() throws {
        guard OutputOptions.CSVGeometry(rawValue: geometry) != nil else {
            throw ValidationError("--geometry must be wkt or centroid, not '\(geometry)'")
        }
    }

    func run() throws {
        var job = try options.job(.csv)
        job.options.csvGeometry = OutputOptions.CSVGeometry(rawValue: geometry) ?? .wkt
        job.options.excel = excel
        try ExportRun.layer(job, store: store.store, cellSize: options.cellSize)
    }
}
