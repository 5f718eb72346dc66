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

/// Sorts store errors for the command line's contract (see `Failure`): bad usage or bad input
/// (a missing or foreign file, an invalid value) becomes an `InputError` (exit 2); SQLite
/// failures stay runtime failures (exit 1).
enum StoreFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            if case .database = error { throw error }
            throw InputError(error.description)
        }
    }
}
