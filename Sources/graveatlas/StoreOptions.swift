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

/// Marks store work in a command. It decides nothing: store errors pass through unchanged to
/// `Failure`, and `ExitStatus` (the one table) sorts them by case: a missing or foreign file or
/// an invalid value is exit 2, SQLite failures exit 1.
enum StoreFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        try body()
    }
}
