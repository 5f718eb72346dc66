import ArgumentParser
import Export

/// `graveatlas export gpkg STORE -o OUT.gpkg`.
struct ExportGeoPackage: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gpkg",
        abstract: "Write a GeoPackage: a store holding only the sites the audience may see, safeguarded.",
        discussion: """
            Generalised sites keep only id, type, status and condition; the flag and the cell size \
            are in their source_attributes column as {"cell_size_deg":0.1,"generalised":true}. At partner \
            and internal, sites shown exactly keep their source records' attributes, also as source:FIELD \
            columns; at internal, their dataset and source key too. Events and sources are not copied. \
            An existing OUT is replaced.
            """)

    @OptionGroup var store: EngineStoreOptions
    @OptionGroup var options: ExportOptions

    func run() throws {
        try ExportRun.layer(try options.job(.gpkg), store: store.store, cellSize: options.cellSize)
    }
}
