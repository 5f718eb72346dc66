import ArgumentParser
import Foundation
import PostGIS
import Store

/// The STORE argument shared by every store command.
struct StoreOptions: ParsableArguments {
    @Argument(help: "The GeoPackage store (.gpkg).")
    var store: String

    /// Opens the store, turning failures into one line on stderr and the exit code: for
    /// reading only (queries, exports, stats), or for writing (imports and settings).
    /// - Throws: `InputError` for a `postgresql://` URL (a store every command now takes as a
    ///   URL through `EngineStoreOptions`; this is the door for a file only).
    func open(_ access: SiteStore.Access) throws -> SiteStore {
        try Self.open(store, access)
    }

    static func open(_ store: String, _ access: SiteStore.Access) throws -> SiteStore {
        if PostgresURL.isPostgresURL(store) {
            let named = (try? PostgresURL(store)).map(\.description) ?? "a postgresql:// URL"
            throw InputError("\(named): this command takes a GeoPackage "
                             + "store so far; PostGIS stores are taken by `init`, `copy`, `import`, `audit verify|log|accept`, `source add|verify`, `site show`, `query near|nearest|within|overlaps --area|search`, `stats`, `settings`, `upgrade`, `serve` and `export geojson|csv|kml|gpkg|tiles|map` "
                             + "(`graveatlas copy URL atlas.gpkg` makes a GeoPackage of one)")
        }
        return try StoreFailure.run { try SiteStore(path: store, access: access) }
    }
}

/// The STORE argument of the commands that take either engine: a GeoPackage path or a
/// `postgresql://` URL.
struct EngineStoreOptions: ParsableArguments {
    @Argument(help: "The store: a GeoPackage (.gpkg) or a postgresql:// URL (its password may be in PGPASSWORD).")
    var store: String

    /// The PostGIS store the argument names, once it is known to hold a GraveAtlas store this
    /// program reads; nil for a GeoPackage path.
    /// - Throws: `PostGISError.badURL` for a `postgresql://` URL that cannot be used,
    ///   `PostGISError.schema` for a database without a store or of another schema version.
    func postGIS() async throws -> PostGISStore? {
        guard PostgresURL.isPostgresURL(store) else { return nil }
        let db = PostGISStore(url: try PostgresURL(store))
        try await db.requireStore()
        return db
    }

    /// The store as messages name it: a URL without its password.
    var named: String {
        guard PostgresURL.isPostgresURL(store) else { return store }
        return (try? PostgresURL(store)).map(\.description) ?? "a postgresql:// URL"
    }

    /// Opens the GeoPackage store the argument names (see `StoreOptions.open`).
    func open(_ access: SiteStore.Access) throws -> SiteStore {
        try StoreOptions.open(store, access)
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
