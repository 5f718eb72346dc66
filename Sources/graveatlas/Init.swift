import ArgumentParser
import Foundation
import Geometry
import Store

/// `graveatlas init STORE [--force] [--cell-size DEG] [--grid-origin LON,LAT]`: creates an empty
/// GeoPackage store with its generalisation grid recorded (and audited) and its ordering secret made.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty site store (a GeoPackage that QGIS and GDAL open as it is).",
        discussion: "The store keeps its own generalisation grid (0.1° cells from 0,0 unless given): every output for public or partner uses it or a coarser grid of its whole cells.")

    @OptionGroup var options: StoreOptions
    @OptionGroup var grid: GridOptions

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() throws {
        let chosen = grid.grid(over: GeneralisationGrid())
        let folder = PathText.folder(of: options.store)
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw InputError("\(options.store): the folder \(folder) does not exist")
        }
        try StoreFailure.run {
            let store = try SiteStore.create(at: options.store, force: force)
            // The ordering secret too, so that exports never need to write to the store.
            do {
                try store.setGrid(chosen)
                _ = try store.orderSalt()
            } catch {
                try? store.close()
                throw error
            }
            try store.close()
        }
        print("created \(options.store) (generalisation grid: \(chosen.summary))")
    }
}
