import ArgumentParser
import Foundation
import Store

/// The STORE argument shared by every store command.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The GeoPackage store (.gpkg).")
    var store: String

    /// Opens the store, turning failures into one line on stderr and the exit code: for
    /// reading only (queries, exports, stats), or for writing (imports and settings).
    func open(_ access: SiteStore.Access) throws -> SiteStore {
        try StoreFailure.run { try SiteStore(path: store, access: access) }
    }
}

/// Runs store work under the command line's contract: store errors pass through to
/// `Failure`, which sorts them by case (`ExitStatus`): a missing or foreign file or an invalid
/// value is exit 2, SQLite failures exit 1.
enum StoreFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        try body()
    }
}
