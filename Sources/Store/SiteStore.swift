import Foundation
import Geometry
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
    /// How a store is opened.
    public enum Access: Sendable {
        /// Reads and writes; an older schema is migrated on opening.
        case readWrite
        /// Reads only: the store's files are never written (not even by a checkpoint or a
        /// migration), so it opens on write-protected media and never waits on a writer.
        case readOnly
    }

    /// The file the store lives in.
    public let path: String
    /// How it was opened.
    public let access: Access
    /// The write connections (nil when opened read-only).
    private let writer: DatabasePool?
    /// The connections queries read through (the pool's are for writes and migrations).
    let reads: ReadConnections
    /// Checkpoints after large writes (kept alive here and by the pool's configuration,
    /// whose connections report their commits to it).
    let checkpoints: WALCheckpoints
    static let logger = Logger(label: "graveatlas.store")

    /// The write connections.
    /// - Throws: `StoreError.readOnly` for a store opened read-only.
    var pool: DatabasePool {
        get throws {
            guard let writer else { throw StoreError.readOnly(path: path) }
            return writer
        }
    }

    /// Opens an existing store.
    ///
    /// ```swift
    /// let store = try SiteStore(path: "atlas.gpkg", access: .readOnly)   // for queries and exports
    /// ```
    /// Read-only, nothing is written to the file or its `-wal`: SQLite's read-only connections
    /// read the last commit (WAL readers never wait on a writer), and closing checkpoints
    /// nothing. A store of an older schema is not migrated then: it is refused with a
    /// message saying how to upgrade it.
    /// `readCacheKiB` sets each read connection's page cache (64 MiB unless given): a server,
    /// whose memory must not grow with the store, gives a smaller one.
    /// - Throws: `notFound`, `notGeoPackage` (not SQLite, or not a GraveAtlas GeoPackage),
    ///   `newerSchema` (written by a newer version), `olderSchema` (read-only, not yet
    ///   migrated).
    public init(path: String, access: Access = .readWrite, readCacheKiB: Int? = nil) throws {
        self.path = path
        self.access = access
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.notFound(path: path) }
        try Self.checkHeader(path)
        let checkpoints = WALCheckpoints()
        self.checkpoints = checkpoints
        let writer: DatabasePool?
        switch access {
        case .readWrite:
            writer = try Self.mapErrors(path) { try DatabasePool(path: path, configuration: Self.configuration(checkpoints)) }
        case .readOnly:
            writer = nil
        }
        self.writer = writer
        let readRole = ConnectionSettings.Role.read(cacheKiB: readCacheKiB ?? ConnectionSettings.readCacheKiB)
        var reads = ReadConnections(path: path, configuration: Self.configuration(role: readRole))
        var found = -1
        do {
            do {
                found = try reads.read { db in try Self.schemaVersion(db) }
            } catch let error as DatabaseError where access == .readOnly && Self.onWriteProtectedMedia(error, path) {
                // A WAL store on write-protected media, with no -shm beside it that SQLite
                // could share: nobody can write it, so it is read as immutable.
                try? reads.close()
                reads = ReadConnections(path: Self.immutableURI(path), configuration: Self.configuration(role: readRole))
                found = try reads.read { db in try Self.schemaVersion(db) }
            }
        } catch {
            try? reads.close()
            try? writer?.close()
            // A file that passed the header check but that SQLite finds damaged is not a
            // store that can be opened: the user's file, named, not a failure of SQLite.
            if let error = error as? DatabaseError, error.resultCode == .SQLITE_CORRUPT {
                throw StoreError.notGeoPackage(path: path, reason: "it is damaged (\(error.message ?? "malformed"))")
            }
            try Self.mapErrors(path) { () throws -> Void in throw error }
            throw error
        }
        self.reads = reads
        func refuse(_ error: StoreError) -> StoreError {
            try? reads.close()
            try? writer?.close()
            return error
        }
        guard found >= 1 else {
            throw refuse(.notGeoPackage(path: path, reason: "it has no GraveAtlas tables (gpkg_contents, store_metadata)"))
        }
        guard found <= StoreSchema.version else {
            throw refuse(.newerSchema(path: path, found: found, supported: StoreSchema.version))
        }
        if found < StoreSchema.version {
            guard let writer else {
                throw refuse(.olderSchema(path: path, found: found, current: StoreSchema.version))
            }
            try Self.mapErrors(path) { try StoreSchema.migrator.migrate(writer) }
            Self.logger.info("migrated store", metadata: ["path": "\(path)", "from": "\(found)"])
        }
    }

    /// The schema version this build writes and reads.
    public static var schemaVersion: Int { StoreSchema.version }

    /// Whether `error` is SQLite refusing to read a WAL database it cannot share (its `-shm`
    /// cannot be created) in a folder this process cannot write, with no unmerged `-wal`
    /// (whose commits an immutable reading would not see).
    private static func onWriteProtectedMedia(_ error: DatabaseError, _ path: String) -> Bool {
        guard error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN else { return false }
        let folder = PathText.folder(of: path)
        let files = FileManager.default
        guard !files.isWritableFile(atPath: folder.isEmpty ? "." : folder) else { return false }
        let wal = (try? files.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
        return wal == 0
    }

    /// `path` as an SQLite URI that opens it immutable (no locks, no -shm).
    static func immutableURI(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
        return "file:" + encoded + "?immutable=1"
    }

    /// The schema version recorded in the store, -1 when it has no GraveAtlas tables.
    private static func schemaVersion(_ db: Database) throws -> Int {
        guard try db.tableExists("gpkg_contents"), try db.tableExists("store_metadata") else { return -1 }
        let text = try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'")
        return text.flatMap { Int($0) } ?? -1
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

    /// Closes every connection (checkpointing the WAL into the file when opened for
    /// writing; a read-only store writes nothing).
    public func close() throws {
        try Self.mapErrors(path) {
            try reads.close()
            guard let writer else { return }
            // Move everything written into the .gpkg itself, so that a copy of that one file
            // (what analysts mail and open in QGIS) holds all of it even if the -wal stays.
            try WALCheckpoints.finish(writer)
            try writer.close()
        }
    }

    /// The configuration of a connection of `role` (its SQLite settings: `ConnectionSettings`).
    static func configuration(_ checkpoints: WALCheckpoints? = nil, role: ConnectionSettings.Role = .write) -> Configuration {
        _ = SQLiteProcessSettings.made
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            GeoPackageFunctions.register(in: db)
            try ConnectionSettings.prepare(db, role: role)
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
        let pool = try pool
        defer { checkpoints.run(on: pool) }
        return try Self.mapErrors(path) { try pool.write(body) }
    }

    /// `write` with the writer's foreign keys off for the transaction (and on again after
    /// it, whatever happened): for a batch that sets aside the unique index its foreign keys
    /// point at, and answers itself for the rows it links.
    func writeWithoutForeignKeys<T>(_ body: (Database) throws -> T) throws -> T {
        let pool = try pool
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
