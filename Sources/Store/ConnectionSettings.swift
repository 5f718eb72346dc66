import GRDB

/// The one place that decides the SQLite settings of the store's connections: the writer,
/// the readers, and what a bulk import or a full scan changes for its duration.
///
/// ```swift
/// config.prepareDatabase { db in try ConnectionSettings.prepare(db, role: .write) }
/// let cache = try ConnectionSettings.PageCache(db, kib: ConnectionSettings.scanCacheKiB)
/// defer { cache.restore(db) }      // the connection's own size again
/// ```
/// Page cache sizes are in KiB (SQLite's negative `cache_size`), and are upper bounds: SQLite
/// allocates cache pages as it reads or writes them, so an idle connection with a large
/// cache costs nothing until it is used.
///
/// - Every connection: `temp_store = MEMORY`. Statement journals (one per statement that
///   writes through a trigger, such as the R*Tree and search triggers) and sorter spill go to
///   memory, not to a temporary file opened and written for every row.
/// - Writer: `writeCacheKiB` (64 MiB), so that a large batch keeps the pages it is building
///   (the table's last pages, the search index, the R*Tree's nodes) in memory instead of
///   spilling them into the WAL before commit and writing them again later.
/// - Readers: `readCacheKiB` (64 MiB): the R*Tree's nodes and the site pages that repeated
///   `near`/`nearest` queries visit stay cached between the reads run on a connection (the
///   store keeps up to `ReadConnections.keptIdle` of them). A store opened with its own size
///   (`SiteStore(path:access:readCacheKiB:)`: the server's) gives its readers that one.
/// - A bulk import (`SiteStore.importBatch`): `importCacheKiB` (32 MiB) on the writer for the
///   import's transaction, then the writer's own size again. An import also holds the files
///   it reads, their staging and GEOS/PROJ work; its peak memory is one of the two figures
///   `tools/bench/import` compares with ogr2ogr, so the import keeps the 32 MiB it has been
///   measured with (`insertBatch`, whose callers hold only the sites, keeps the writer's
///   64 MiB). Before, the import set 32 MiB and left it on the writer for good.
/// - A full scan (`SiteStore.forEachSite`): `scanCacheKiB` (4 MiB): it reads each page once,
///   so a large cache would only hold pages it never reads again.
/// SQLite's process-wide settings, made before any connection opens, are the C API's and sit
/// behind the store's door to it: `SQLiteProcessSettings` (see `Store/SQLite/README.md`).
enum ConnectionSettings {
    static let writeCacheKiB = 65_536
    static let readCacheKiB = 65_536
    static let importCacheKiB = 32_768
    static let scanCacheKiB = 4_096

    /// Which connection `prepare` sets up: the writer, or a reader with its page cache.
    enum Role: Equatable {
        case write
        case read(cacheKiB: Int)
    }

    /// The settings every new connection of `role` starts with.
    static func prepare(_ db: Database, role: Role) throws {
        let cache: Int
        switch role {
        case .write: cache = writeCacheKiB
        case let .read(kib): cache = max(64, kib)
        }
        try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -\(cache)")
    }

    /// A page cache size set on a connection for a while; `restore` sets back the one it had.
    struct PageCache {
        /// The connection's `cache_size` before (SQLite's value: negative in KiB, positive in pages).
        private let previous: Int

        init(_ db: Database, kib: Int) throws {
            previous = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2_000
            try db.execute(sql: "PRAGMA cache_size = -\(kib)")
        }

        /// Sets the connection's cache size back (an error leaves the temporary size, which
        /// only changes memory use, not results).
        func restore(_ db: Database) {
            try? db.execute(sql: "PRAGMA cache_size = \(previous)")
        }
    }
}
