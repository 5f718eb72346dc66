import GRDB
import Synchronization

/// Tells whether anyone committed to the store's file since it last looked: GraveAtlas, or
/// QGIS, GDAL or sqlite3 editing the GeoPackage directly (which write no audit entry, so the
/// audit's change mark does not see them).
///
/// ```swift
/// let watch = try store.commitWatch()
/// let a = try watch.generation()   // 0
/// // … another connection (any program) commits …
/// let b = try watch.generation()   // 1
/// ```
/// It keeps one read-only connection of its own and asks it SQLite's `PRAGMA data_version`,
/// which the SQLite documentation says changes, between two calls on one connection, when
/// another connection committed to the file in between (and that connection never writes).
/// Each change seen moves `generation`, a number local to this watch that never goes back.
/// A read begun after `generation()` returned sees at least the commits it counted.
/// - Complexity: one small statement per call (no transaction of its own, no table read); calls
///   from several threads take turns on the connection.
public final class CommitWatch: Sendable {
    private struct Seen: Sendable {
        var version: Int64?
        var generation: UInt64 = 0
    }

    private let queue: DatabaseQueue
    private let path: String
    private let seen = Mutex(Seen())

    init(queue: DatabaseQueue, path: String) {
        self.queue = queue
        self.path = path
    }

    deinit { try? queue.close() }

    /// The number of changes seen so far: it moves when a commit happened since the last call.
    /// - Throws: `StoreError.database` naming the store when its file cannot be read.
    public func generation() throws -> UInt64 {
        try seen.withLock { seen in
            let version = try SiteStore.mapErrors(path) { try queue.inDatabase { db -> Int64 in
                let select = try RawStatement(cached: db, "PRAGMA data_version")
                // Reset at once: an unfinished statement would hold a read open, and the
                // version would then never move.
                defer { select.reset() }
                return try select.step() ? select.int64(0) : -1
            } }
            if let last = seen.version, last != version { seen.generation &+= 1 }
            seen.version = version
            return seen.generation
        }
    }
}

extension ReadConnections {
    /// A `CommitWatch` on a read-only connection of its own to the same file.
    func commitWatch(naming store: String) throws -> CommitWatch {
        CommitWatch(queue: try DatabaseQueue(path: path, configuration: configuration), path: store)
    }
}

extension SiteStore {
    /// A watch that sees every commit to the store's file, by any program (see `CommitWatch`).
    /// - Throws: `StoreError.database` when the file cannot be opened.
    public func commitWatch() throws -> CommitWatch {
        let watch = try Self.mapErrors(path) { try reads.commitWatch(naming: path) }
        // The first call sets the version the next ones compare with.
        _ = try watch.generation()
        return watch
    }
}
