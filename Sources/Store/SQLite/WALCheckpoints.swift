import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log back into the `.gpkg` after large writes, on the pool's writer
/// queue once the write that grew it has returned, rather than inside that write's commit.
///
/// ```swift
/// let checkpoints = WALCheckpoints()
/// config.prepareDatabase { db in checkpoints.watch(db) }
/// … after each write: checkpoints.run(on: pool)
/// ```
/// SQLite's automatic checkpoint runs in the committing call: a batch of 100,000 sites
/// waited about 0.3 s more for the log's 40 MB to be copied and synced before `insertBatch`
/// returned. Here the commit returns at once and the same passive checkpoint follows on the
/// writer's queue (the next write waits for it, readers never do); `SiteStore.close()` runs a
/// full one after it (`finish`), so a closed store is one complete file as before.
///
/// Neither holds a reader out: a passive checkpoint takes no lock a reader needs, and the
/// full one waits for the readers that still use the log's pages while new readers read the
/// file itself (SQLite's read mark 0). `ReadWaits` counts any wait a reader had, and
/// `WALCheckpoints.completed` the checkpoints this process ran, so a test can show both.
public final class WALCheckpoints: Sendable {
    /// The log size, in pages, from which a checkpoint follows a write (SQLite's default
    /// automatic checkpoint threshold).
    static let threshold: Int32 = 1000

    private let wanted = Atomic<Bool>(false)
    private static let runs = Atomic<Int>(0)

    /// Checkpoints run by this process (passive ones after large writes, and full ones on
    /// closing), whether or not they could copy every page.
    public static var completed: Int { runs.load(ordering: .relaxed) }

    /// Watches the commits of `db` (replacing SQLite's automatic checkpoint on it).
    func watch(_ db: Database) {
        sqlite3_wal_hook(db.sqliteConnection, { context, _, _, pages in
            if pages >= WALCheckpoints.threshold, let context {
                Unmanaged<WALCheckpoints>.fromOpaque(context).takeUnretainedValue().wanted.store(true, ordering: .relaxed)
            }
            return SQLITE_OK
        }, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Queues a passive checkpoint on `pool`'s writer if a commit since the last one left the
    /// log above the threshold.
    func run(on pool: DatabasePool) {
        guard wanted.exchange(false, ordering: .relaxed) else { return }
        pool.asyncWriteWithoutTransaction { db in
            // Passive: copies what no reader still needs and never waits; a busy or failed
            // attempt leaves the log for the next one (or for close).
            _ = try? db.checkpoint(.passive)
            WALCheckpoints.runs.add(1, ordering: .relaxed)
        }
    }

    /// Copies the whole log into the file and empties it, as a store closes. A reader that
    /// keeps its read transaction open past the busy timeout leaves the log as it is: what
    /// was committed is safe in it, and the next writer checkpoints it.
    static func finish(_ writer: DatabasePool) throws {
        do {
            _ = try writer.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            runs.add(1, ordering: .relaxed)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            SiteStore.logger.info("the log stays until the next write: a reader held it", metadata: ["reason": "\(error.message ?? "")"])
        }
    }
}
