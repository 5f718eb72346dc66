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
/// full one after it, so a closed store is one complete file as before.
final class WALCheckpoints: Sendable {
    /// The log size, in pages, from which a checkpoint follows a write (SQLite's default
    /// automatic checkpoint threshold).
    static let threshold: Int32 = 1000

    private let wanted = Atomic<Bool>(false)

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
        }
    }
}
