import Foundation
import Store

/// One end of `graveatlas copy`: a GeoPackage file or a PostGIS database.
public enum StoreLocation: Sendable, CustomStringConvertible {
    case geoPackage(path: String)
    case postGIS(PostgresURL)

    /// A `postgresql://` URL is a PostGIS store, anything else a GeoPackage path.
    /// - Throws: `PostGISError.badURL` for a PostgreSQL URL that cannot be used.
    public init(_ text: String) throws {
        self = PostgresURL.isPostgresURL(text) ? .postGIS(try PostgresURL(text)) : .geoPackage(path: text)
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .geoPackage(let path): return path
        case .postGIS(let url): return url.description
        }
    }
}

/// Copies a whole store from one engine to another: every table of `StoreTable.copied` (sites,
/// names, events, sources, their links, the audit log and the store's settings), row keys, ids,
/// times and evidence hashes as they are.
///
/// ```swift
/// let counts = try await StoreCopy.run(from: try StoreLocation("atlas.gpkg"),
///                                      to: try StoreLocation("postgresql://analyst@db/atlas"))
/// counts["sites"]   // 1204
/// ```
/// The target must be new (a GeoPackage path where no file is) or empty (a PostGIS database
/// with no GraveAtlas rows; its schema is made or upgraded first). A failure leaves it as it
/// was: PostGIS is written in one transaction, a GeoPackage in a temporary file beside the
/// target, renamed into place only when complete.
/// - Note: a copy into a GeoPackage holds the source's rows in memory until they are written
///   (the GeoPackage writer is synchronous, the PostGIS reader is not); a copy into PostGIS
///   streams them.
public enum StoreCopy {
    /// - Returns: the rows copied, by table name.
    public static func run(from source: StoreLocation, to target: StoreLocation) async throws -> [String: Int] {
        // Into a database, the search index's words go too (a GeoPackage makes its own index).
        let searched: Bool
        if case .postGIS = target { searched = true } else { searched = false }
        let reader = try await RowReader(source, tables: StoreTable.copied + (searched ? [.searchEntries] : []))
        defer { reader.close() }
        switch target {
        case .postGIS(let url):
            let store = PostGISStore(url: url)
            try await store.migrate()
            return try await store.copyIn { table in reader.rows(of: table) }
        case .geoPackage(let path):
            return try await writeGeoPackage(path, from: reader)
        }
    }

    /// Copies the database into a new GeoPackage at `path` (as `run(from:to:)`), and gives what
    /// a write made on that copy needs to know of the state it holds (`ReadMarks`), read in the
    /// same snapshot.
    public static func snapshot(of url: PostgresURL, into path: String) async throws -> ReadMarks {
        let marks = ReadMarks.Box()
        try await snapshot(of: url, into: path, marks: marks, fingerprints: nil)
        guard let read = marks.value else {
            throw PostGISError.statement(url: url.description, statement: "read the snapshot's marks", reason: "the reading ended early")
        }
        return read
    }

    /// Copies the database into a new GeoPackage at `path` (as `run(from:to:)`), and gives the
    /// digests of the rows copied (`RowFingerprints`), read in the same snapshot: a reader
    /// keeping the copy (a server) later reads only the rows that changed
    /// (`PostGISStore.changedRows(since:)`).
    /// `bucket`: keys per bucket of the digests.
    public static func snapshotToFollow(of url: PostgresURL, into path: String,
                                        bucket: Int64 = PostGISStore.fingerprintBucket) async throws -> RowFingerprints {
        let fingerprints = RowFingerprints.Box(size: bucket)
        try await snapshot(of: url, into: path, marks: nil, fingerprints: fingerprints)
        guard let read = fingerprints.value else {
            throw PostGISError.statement(url: url.description, statement: "read the snapshot's digests", reason: "the reading ended early")
        }
        return read
    }

    private static func snapshot(of url: PostgresURL, into path: String, marks: ReadMarks.Box?,
                                 fingerprints: RowFingerprints.Box?) async throws {
        let reader = try await RowReader(.postGIS(url), marks: marks, fingerprints: fingerprints)
        defer { reader.close() }
        _ = try await writeGeoPackage(path, from: reader)
        try await reader.finished()
    }

    private static func writeGeoPackage(_ path: String, from reader: RowReader) async throws -> [String: Int] {
        let files = FileManager.default
        guard !files.fileExists(atPath: path) else {
            throw StoreError.alreadyExists(path: path)
        }
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).copy-\(ProcessInfo.processInfo.processIdentifier)").path
        func removeTemporary() {
            for suffix in ["", "-wal", "-shm", "-journal"] { try? files.removeItem(atPath: temporary + suffix) }
        }
        removeTemporary()
        let counts: [String: Int]
        do {
            let store = try SiteStore.create(at: temporary)
            do {
                // One transaction, on a thread of its own that takes each table's batches as they
                // come (parents before children, `StoreTable.copied`): memory holds a few batches
                // whatever the store's size, and the file is not the target's until it is moved
                // there whole.
                counts = try await OwnThread.run {
                    var counts: [String: Int] = [:]
                    try store.writeRows { writer in
                        for table in StoreTable.copied {
                            let batches = reader.rows(of: table)
                            defer { batches.stop() }
                            var count = 0
                            while let batch = try batches.nextWaiting() {
                                for row in batch { try writer.insert(table, row) }
                                count += batch.count
                            }
                            counts[table.name] = count
                        }
                    }
                    return counts
                }
            } catch {
                try? store.close()
                throw error
            }
            try store.close()
            // Refused rather than replaced if a file appeared at the target meanwhile.
            guard !files.fileExists(atPath: path) else { throw StoreError.alreadyExists(path: path) }
            try files.moveItem(atPath: temporary, toPath: path)
        } catch {
            removeTemporary()
            throw error
        }
        return counts
    }
}

/// Blocking work awaited from a task: `body` runs on a thread of its own (it blocks, and a
/// task's thread must not), with a stack big enough for SQLite's deeper statements.
///
/// ```swift
/// let written = try await OwnThread.run { try store.takeRows(from: next) }
/// ```
public enum OwnThread {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<T, any Error>) in
            let thread = Thread { done.resume(with: Result { try body() }) }
            thread.stackSize = 4 << 20
            thread.start()
        }
    }
}

/// Reads the rows of a store of either engine as streams, table by table, each table asked for
/// once, in `StoreTable.copied`'s order.
///
/// From PostGIS every table comes from one snapshot: a task reads them all, one after the other,
/// in one read-only transaction, at most a few batches ahead of the writer (it waits on each
/// table's `RowBatches`, and PostgreSQL holds the rest). `close()` ends it wherever it is.
final class RowReader: Sendable {
    private enum Engine: Sendable {
        case geoPackage(SiteStore)
        case postGIS(PostGISStore, [String: RowBatches])
    }
    private let engine: Engine
    private let reading: Task<Void, any Error>?

    init(_ location: StoreLocation, tables: [StoreTable] = StoreTable.copied, marks: ReadMarks.Box? = nil,
         fingerprints: RowFingerprints.Box? = nil) async throws {
        switch location {
        case .geoPackage(let path):
            let store = try SiteStore(path: path, access: .readOnly)
            do { try store.checkCopiedColumns() } catch {
                try? store.close()
                throw error
            }
            engine = .geoPackage(store)
            reading = nil
        case .postGIS(let url):
            let store = PostGISStore(url: url)
            try await store.requireStore()
            let fed = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, RowBatches.fed()) })
            engine = .postGIS(store, fed)
            reading = Task.detached {
                var ended: Set<String> = []
                var batch: [[StoredValue]] = []
                batch.reserveCapacity(RowBatches.rows)
                do {
                    try await store.forEachRow(of: tables, { table, row in
                        batch.append(row)
                        if batch.count == RowBatches.rows {
                            try await fed[table.name]?.feed(batch)
                            batch.removeAll(keepingCapacity: true)
                        }
                    }, ended: { table in
                        if !batch.isEmpty { try await fed[table.name]?.feed(batch) }
                        batch.removeAll(keepingCapacity: true)
                        fed[table.name]?.end()
                        ended.insert(table.name)
                    }, marks: marks, fingerprints: fingerprints)
                } catch {
                    for table in tables where !ended.contains(table.name) { fed[table.name]?.end(error) }
                    throw error
                }
            }
        }
    }

    /// The rows of `table`, in key order, in batches (`RowBatches`): from a GeoPackage, read on
    /// a thread of its own a few batches ahead of the writer; from PostGIS, as they come. The
    /// caller calls `stop()` on them when done, before `close()`.
    func rows(of table: StoreTable) -> RowBatches {
        switch engine {
        case .geoPackage(let store):
            return RowBatches.reading { put in
                var batch: [[StoredValue]] = []
                batch.reserveCapacity(RowBatches.rows)
                try store.forEachRow(of: table) { row in
                    batch.append(row)
                    if batch.count == RowBatches.rows {
                        try put(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                }
                if !batch.isEmpty { try put(batch) }
            }
        case .postGIS(_, let fed):
            guard let batches = fed[table.name] else {
                let none = RowBatches.fed()
                none.end(StoreError.invalidRecord(id: table.name, reason: "not a table a copy carries"))
                return none
            }
            return batches
        }
    }

    /// Waits for the PostGIS reading task's end (its transaction's), and throws what it threw.
    func finished() async throws {
        try await reading?.value
    }

    /// Closes the GeoPackage, or ends the PostGIS reading task (its transaction is rolled back).
    func close() {
        switch engine {
        case .geoPackage(let store): try? store.close()
        case .postGIS(_, let fed): for batches in fed.values { batches.stop() }
        }
    }
}
