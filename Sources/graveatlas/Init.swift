import ArgumentParser
import Foundation
import Geometry
import PostGIS
import Store

/// `graveatlas init STORE [--force] [--cell-size DEG] [--grid-origin LON,LAT]`: creates an empty
/// store with its generalisation grid recorded (and audited) and its ordering secret made: a
/// GeoPackage, or the same store in a PostGIS database.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create an empty site store (a GeoPackage that QGIS and GDAL open as it is, or a PostGIS database).",
        discussion: """
            The store keeps its own generalisation grid (0.1° cells from 0,0 unless given): every output for public or \
            partner uses it or a coarser grid of its whole cells. A postgresql:// URL makes the store in that database, \
            which must hold no GraveAtlas rows (its password may be in PGPASSWORD); --force does not empty a database.
            """)

    @OptionGroup var options: EngineStoreOptions
    @OptionGroup var grid: GridOptions

    @Flag(help: "Replace an existing file.")
    var force = false

    func run() async throws {
        let chosen = grid.grid(over: GeneralisationGrid())
        if PostgresURL.isPostgresURL(options.store) {
            try await makePostGIS(try PostgresURL(options.store), grid: chosen)
            return
        }
        let folder = PathText.folder(of: options.store)
        var isFolder: ObjCBool = false
        guard folder.isEmpty || (FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) && isFolder.boolValue) else {
            throw InputError("\(options.store): the folder \(folder) does not exist")
        }
        try StoreFailure.run { try Self.makeEmpty(at: options.store, force: force, grid: chosen) }
        print("created \(options.store) (generalisation grid: \(chosen.summary))")   // the command's output
    }

    /// An empty GeoPackage store at `path` with the grid recorded (and audited) and the
    /// ordering secret made, so that exports never need to write to the store.
    private static func makeEmpty(at path: String, force: Bool, grid: GeneralisationGrid) throws {
        let store = try SiteStore.create(at: path, force: force)
        do {
            try store.setGrid(grid)
            _ = try store.orderSalt()
        } catch {
            try? store.close()
            throw error
        }
        try store.close()
    }

    /// The store made in a PostGIS database as it is made in a file: an empty GeoPackage store
    /// with the grid (audited) and the ordering secret, in a temporary folder, copied into the
    /// database by `copy`'s code (its schema made first, one transaction, refused when the
    /// database holds GraveAtlas rows), so both engines start from the same entries.
    private func makePostGIS(_ url: PostgresURL, grid chosen: GeneralisationGrid) async throws {
        if force {
            throw InputError("\(url): --force does not empty a database; give a database without GraveAtlas rows")
        }
        let folder = try PrivateFolder(label: "init")
        defer { folder.remove() }
        let path = folder.path + "/empty.gpkg"
        try Self.makeEmpty(at: path, force: false, grid: chosen)
        _ = try await StoreCopy.run(from: .geoPackage(path: path), to: .postGIS(url))
        // The command's output; a URL's description leaves out its password.
        print("created \(url) (generalisation grid: \(chosen.summary))")
    }
}
