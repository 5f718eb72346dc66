import ArgumentParser
import Foundation
import Store

/// The STORE argument shared by every store command.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The GeoPackage store (.gpkg).")
    var store: String

    /// Opens the store, turning failures into one line on stderr and the exit code.
    func open() throws -> SiteStore {
        try StoreFailure.run { try SiteStore(path: store) }
    }
}

/// Turns store errors into the command line's contract: one clear line on stderr, exit 1
/// for runtime failures, 2 for bad usage or bad input.
enum StoreFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as StoreError {
            FileHandle.standardError.write(Data("graveatlas: \(error.description)\n".utf8))
            throw ExitCode(code(for: error))
        }
    }

    static func code(for error: StoreError) -> Int32 {
        switch error {
        case .database: 1
        default: 2
        }
    }
}
