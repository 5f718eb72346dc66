import ArgumentParser
import Foundation
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

    @OptionGroup var options: StoreOptions
    @OptionGroup var grid: GridOptions

    @Option(help: "Who the change's audit entry names (else the user name).")
    var by: String?

    func run() throws {
        let store = try options.open(grid.isEmpty ? .readOnly : .readWrite)
        defer { try? store.close() }
        let current = try StoreFailure.run { try store.grid() }
        guard !grid.isEmpty else {
            print("grid: \(current.summary)")
            return
        }
        let chosen = grid.grid(over: current)
        try StoreFailure.run { try store.setGrid(chosen, by: by) }
        print("grid: \(chosen.summary) (was \(current.summary))")
    }
}
