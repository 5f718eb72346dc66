import ArgumentParser
import Store

/// `graveatlas init STORE [--force]`: creates an empty GeoPackage store.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty site store (a GeoPackage that QGIS and GDAL open as it is).")

    @OptionGroup var options: StoreOptions

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() throws {
        try StoreFailure.run {
            let store = try SiteStore.create(at: options.store, force: force)
            try store.close()
        }
        print("created \(options.store)")
    }
}
