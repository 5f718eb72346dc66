import Dispatch
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
/// - Complexity: one `read` of the kernel's queue of write events per call (`FileWriteEvents`),
///   and one small statement (no table read) when the store's files were written in the last
///   second or SQLite was not asked in the last 2 ms; calls from several threads take turns.
public final class CommitWatch: Sendable {
    private struct Seen: Sendable {
        var version: Int64?
        var generation: UInt64 = 0
        /// The kernel's word that the files were written (nil: SQLite is asked every time).
        var events: FileWriteEvents?
        var watching = false
        /// When SQLite was last asked, and when the files were last written (monotonic ns).
        var lastLook: UInt64 = 0
        var lastWrite: UInt64 = 0
        var looks = 0
    }

    /// How many times SQLite was asked (for tests: whether the kernel's events spare it).
    var looks: Int { seen.withLock { $0.looks } }

    /// After the files are written, SQLite is asked on every call for this long (ns): a commit
    /// becomes visible only once its writer has updated the WAL's index, after its last write.
    static let afterWrite: UInt64 = 1_000_000_000
    /// However quiet the files, SQLite is asked at least this often (ns) while calls come.
    static let atLeastEvery: UInt64 = 2_000_000

    private let queue: DatabaseQueue
    private let path: String
    /// The database file, whose `-wal` beside it is watched too.
    private let file: String
    private let seen = Mutex(Seen())

    init(queue: DatabaseQueue, path: String, file: String) {
        self.queue = queue
        self.path = path
        self.file = file
    }

    deinit { try? queue.close() }

    /// The number of changes seen so far: it moves when a commit happened since the last call.
    ///
    /// SQLite is asked (`PRAGMA data_version`) unless the kernel says that neither the file nor
    /// its `-wal` was written since the last call (`FileWriteEvents`), no write came in the last
    /// second, and SQLite was asked less than 2 ms ago: a call then costs one `read` of an empty
    /// queue. A commit seen by any reader before a call began is counted by that call, unless its
    /// writer stalled for more than a second between writing the commit and making it visible
    /// (a process stopped at that instant); such a commit is counted within 2 ms of showing.
    /// Where the files cannot be watched, SQLite is asked on every call.
    /// - Throws: `StoreError.database` naming the store when its file cannot be read.
    public func generation() throws -> UInt64 {
        try seen.withLock { seen in
            // Under the lock: a call that finds the queue empty while another has emptied it
            // and is still asking SQLite waits for that answer.
            let now = DispatchTime.now().uptimeNanoseconds
            if let events = seen.events {
                switch events.drained() {
                case .none:
                    if now &- seen.lastWrite >= Self.afterWrite, now &- seen.lastLook < Self.atLeastEvery {
                        return seen.generation
                    }
                case .written:
                    seen.lastWrite = now
                case .lost:
                    // A file replaced or gone: watched again below, from the next look on.
                    seen.lastWrite = now
                    seen.events = nil
                    seen.watching = false
                }
            }
            try look(&seen, at: now)
            if !seen.watching {
                seen.watching = true
                seen.events = FileWriteEvents(files: [file, file + "-wal"])
                seen.lastWrite = now
                // A commit between the look above and the watch's start has no event: asked again.
                if seen.events != nil { try look(&seen, at: now) }
            }
            return seen.generation
        }
    }

    /// Asks SQLite for the file's data version; a change moves the generation.
    private func look(_ seen: inout Seen, at now: UInt64) throws {
        seen.lastLook = now
        seen.looks += 1
        let version = try SiteStore.mapErrors(path) { try queue.inDatabase { db -> Int64 in
            let select = try RawStatement(cached: db, "PRAGMA data_version")
            // Reset at once: an unfinished statement would hold a read open, and the
            // version would then never move.
            defer { select.reset() }
            return try select.step() ? select.int64(0) : -1
        } }
        if let last = seen.version, last != version { seen.generation &+= 1 }
        seen.version = version
    }
}

extension ReadConnections {
    /// A `CommitWatch` on a read-only connection of its own to the same file.
    func commitWatch(naming store: String) throws -> CommitWatch {
        CommitWatch(queue: try DatabaseQueue(path: path, configuration: configuration), path: store, file: path)
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
