import ArgumentParser
import Export

/// `graveatlas export gpkg STORE -o OUT.gpkg`.
struct ExportGeoPackage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpkg",
        abstract: "Write a GeoPackage: a store holding only the sites the audience may see, safeguarded.",
        discussion: """
            Generalised sites keep only id, type, status and condition; the flag and the cell size \
            are in their source_attributes column as {"cell_size_deg":0.1,"generalised":true}. Events, \
            sources and the source records' attributes are not copied. An existing OUT is replaced.
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var options: ExportOptions

    func run() throws {
        var job = GeoPackageExport(output: options.output, policy: options.policy())
        job.filter = try options.filter()
        try ExportRun.geoPackage(job, store: store)
    }
}
