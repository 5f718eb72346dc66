import ArgumentParser
import Foundation
import PostGIS
import Store

/// `graveatlas settings STORE [--cell-size DEG] [--grid-origin LON,LAT]`: shows or changes the
/// store's generalisation grid.
struct Settings: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show or change the store's settings (its generalisation grid).",
        discussion: """
            Without options, prints the grid. Once the store holds sites, the grid may only become \
            coarser by whole cells on the same edges: exports already published used the old grid, \
            and a finer or crossing grid joined with them would place protected sites more closely. \
            Every change is recorded in the audit chain, naming --by (else the user name).
            """)

    @OptionGroup var options: EngineStoreOptions
    @OptionGroup var grid: GridOptions

    @Option(help: "Who the change's audit entry names (else the user name).")
    var by: String?

    func run() throws {
        if let db = try Blocking.wait({ try await options.postGIS() }) {
            guard !grid.isEmpty else {
                print("grid: \(try Blocking.wait { try await db.grid() }.summary)")   // the command's output
                return
            }
            // A change is written through a copy of the database, as an import is.
            let line = try PrivateFolder.write(into: db, label: "settings", purpose: "change its grid") { try change($0) }
            print(line)   // the command's output: the grid now and before
            return
        }
        let store = try options.open(grid.isEmpty ? .readOnly : .readWrite)
        defer { try? store.close() }
        guard !grid.isEmpty else {
            print("grid: \(try StoreFailure.run { try store.grid() }.summary)")   // the command's output
            return
        }
        print(try change(store))   // the command's output: the grid now and before
    }

    /// Sets the grid the options give over the store's, and says what it was (the command's output).
    private func change(_ store: SiteStore) throws -> String {
        let current = try StoreFailure.run { try store.grid() }
        let chosen = grid.grid(over: current)
        try StoreFailure.run { try store.setGrid(chosen, by: by) }
        return "grid: \(chosen.summary) (was \(current.summary))"
    }
}
