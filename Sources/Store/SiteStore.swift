import Foundation
import CSQLiteConfig
import GRDB
import Logging

/// The site store: one GeoPackage file holding sites, names, events, sources and the audit
/// log, opened as a WAL database pool (many readers while one writer works).
///
/// ```swift
/// let store = try SiteStore.create(at: "atlas.gpkg")
/// try store.insert(site)
/// let near = try store.near(Position(x: 51.39, y: 35.69), radius: 1_000)
/// try store.close()
/// ```
/// Every connection gets the SQL functions the GeoPackage R*Tree triggers call, so edits made
/// through this type keep the index in step. Writes are serialised; reads run concurrently
/// and see the last committed state.
public final class SiteStore: Sendable {
    /// The file the store lives in.
    public let path: String
    let pool: DatabasePool
    /// The connections queries read through (the pool's are for writes and migrations).
    let reads: ReadConnections
    /// Checkpoints after large writes (kept alive here and by the pool's configuration,
    /// whose connections report their commits to it).
    let checkpoints: WALCheckpoints
    static let logger = Logger(label: "graveatlas.store")

    /// Opens an existing store.
    /// - Throws: `notFound`, `notGeoPackage` (not SQLite, or not a GraveAtlas GeoPackage),
    ///   `newerSchema` (written by a newer version).
    public init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound(path: path) }
        try Self.checkHeader(path)
        let checkpoints = WALCheckpoints()
        self.checkpoints = checkpoints
        pool = try Self.mapErrors(path) { try DatabasePool(path: path, configuration: Self.configuration(checkpoints)) }
        reads = ReadConnections(path: path, configuration: Self.configuration())
        let found = try Self.mapErrors(path) {
            try pool.read { db -> Int in
                guard try db.tableExists("gpkg_contents"), try db.tableExists("store_metadata") else {
                    return -1
                }
                let text = try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'")
                return text.flatMap { Int($0) } ?? -1
            }
        }
        guard found >= 1 else {
            try? pool.close()
            throw StoreError.notGeoPackage(path: path, reason: "it has no GraveAtlas tables (gpkg_contents, store_metadata)")
        }
        guard found <= StoreSchema.version else {
            try? pool.close()
            throw StoreError.newerSchema(path: path, found: found, supported: StoreSchema.version)
        }
        if found < StoreSchema.version {
            try Self.mapErrors(path) { try StoreSchema.migrator.migrate(pool) }
            Self.logger.info("migrated store", metadata: ["path": "\(path)", "from": "\(found)"])
        }
    }

    /// Creates a new, empty store at `path`.
    /// - Parameter force: replace an existing file (and its `-wal`/`-shm` companions).
    /// - Throws: `alreadyExists` when a file is there and `force` is false.
    @discardableResult
    public static func create(at path: String, force: Bool = false) throws -> SiteStore {
        let files = FileManager.default
        if files.fileExists(atPath: path) {
            guard force else { throw StoreError.alreadyExists(path: path) }
            for suffix in ["", "-wal", "-shm", "-journal"] where files.fileExists(atPath: path + suffix) {
                do { try files.removeItem(atPath: path + suffix) } catch {
                    throw StoreError.database(path: path, message: "cannot remove the existing file: \(error)", sql: nil)
                }
            }
        }
        try mapErrors(path) { try writeSchema(path) }
        return try SiteStore(path: path)
    }

    /// Writes a new GeoPackage at `path` with the store's schema, up to the named migration
    /// (tests build older versions this way) or the newest.
    static func writeSchema(_ path: String, upTo migration: String? = nil) throws {
        // A rollback-journal connection writes the file header (application id, user
        // version) at once; the pool that opens it next switches it to WAL.
        let queue = try DatabaseQueue(path: path, configuration: configuration())
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA application_id = \(GeoPackageCore.applicationID)")
            try db.execute(sql: "PRAGMA user_version = \(GeoPackageCore.userVersion)")
            try db.inTransaction {
                for sql in GeoPackageCore.statements { try db.execute(sql: sql) }
                return .commit
            }
        }
        if let migration {
            try StoreSchema.migrator.migrate(queue, upTo: migration)
        } else {
            try StoreSchema.migrator.migrate(queue)
        }
        try queue.close()
    }

    /// Closes every connection (checkpointing the WAL into the file).
    public func close() throws {
        try Self.mapErrors(path) {
            // Move everything written into the .gpkg itself, so that a copy of that one file
            // (what analysts mail and open in QGIS) holds all of it even if the -wal stays.
            try reads.close()
            _ = try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        }
    }

    /// SQLite's process-wide settings, made once before the first connection opens (see
    /// `CSQLiteConfig`): no mutex per connection (GRDB serialises each connection's use, as it
    /// expects SQLite's multi-thread mode) and no memory statistics. They only remove locking
    /// SQLite does on every call; if SQLite was already initialised they are refused and
    /// nothing changes.
    private static let processSettings: Void = {
        _ = ga_sqlite_config_multithread()
        _ = ga_sqlite_config_no_memory_statistics()
    }()

    static func configuration(_ checkpoints: WALCheckpoints? = nil) -> Configuration {
        _ = processSettings
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            GeoPackageFunctions.register(in: db)
            // Statement journals (one per row written through the index triggers) in memory,
            // not in a temporary file opened and written for every row; and 64 MiB of page
            // cache so a large batch does not spill half-built index pages into the WAL.
            try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536")
            checkpoints?.watch(db)
        }
        return config
    }

    /// Refuses files that are not SQLite or do not carry the GeoPackage application id,
    /// before SQLite touches them.
    private static func checkHeader(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw StoreError.notGeoPackage(path: path, reason: "cannot read the file")
        }
        defer { try? handle.close() }
        let header = [UInt8]((try? handle.read(upToCount: 100)) ?? Data())
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw StoreError.notGeoPackage(path: path, reason: "it is not an SQLite database")
        }
        let applicationID = header[68..<72].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard applicationID == UInt32(GeoPackageCore.applicationID) else {
            throw StoreError.notGeoPackage(path: path, reason: "its application_id is not GPKG")
        }
    }

    /// Runs `body`, turning SQLite errors into `StoreError.database` naming the file.
    static func mapErrors<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            if error.resultCode == .SQLITE_NOTADB {
                throw StoreError.notGeoPackage(path: path, reason: "it is not an SQLite database")
            }
            throw StoreError.database(path: path, message: error.message ?? "\(error.resultCode)", sql: error.sql)
        }
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try Self.mapErrors(path) { try reads.read(body) }
    }

    /// `read` with the connection's `SpatialMemo`, for the proximity queries.
    func spatialRead<T>(_ body: (Database, SpatialMemo) throws -> T) throws -> T {
        try Self.mapErrors(path) { try reads.read { db, memo in try body(db, SpatialMemo.current(db, &memo)) } }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        defer { checkpoints.run(on: pool) }
        return try Self.mapErrors(path) { try pool.write(body) }
    }

    /// `write` with the writer's foreign keys off for the transaction (and on again after
    /// it, whatever happened): for a batch that sets aside the unique index its foreign keys
    /// point at, and answers itself for the rows it links.
    func writeWithoutForeignKeys<T>(_ body: (Database) throws -> T) throws -> T {
        defer { checkpoints.run(on: pool) }
        return try Self.mapErrors(path) {
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                var result: Result<T, any Error> = .failure(CancellationError())
                do {
                    try db.inTransaction {
                        result = .success(try body(db))
                        return .commit
                    }
                } catch {
                    result = .failure(error)
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                return try result.get()
            }
        }
    }
}
