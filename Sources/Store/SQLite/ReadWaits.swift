import Foundation
import Synchronization

/// Counts every time a read-only connection had to wait for a lock, so that "readers never
/// wait on a writer" can be shown rather than timed.
///
/// ```swift
/// config.busyMode = .callback(ReadWaits.busyHandler)   // read-only connections
/// … queries …
/// ReadWaits.count          // 0: no read waited
/// ReadWaits.longestMilliseconds
/// ```
/// In WAL mode a reader waits only in rare moments (another connection recovering the log
/// after a crash, or closing the last connection and deleting the log): it then waits as
/// SQLite's busy timeout would (sleeps of 1 ms growing to 100 ms, up to `limit`), so a user's
/// query never fails for a moment's lock, and each wait is counted. `GRAVEATLAS_TRACE_LOCKS=1`
/// makes the command line report the counts on stderr.
public enum ReadWaits {
    /// How long a read waits for a lock before failing with SQLite's "database is locked".
    static let limit: Duration = .seconds(10)
    /// SQLite's own sleeps between tries (sqliteDefaultBusyCallback), in milliseconds.
    private static let sleeps = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
    private static let waits = Atomic<Int>(0)
    private static let longest = Atomic<Int>(0)

    /// Reads that had to wait for a lock in this process.
    public static var count: Int { waits.load(ordering: .relaxed) }
    /// The longest any of them slept before it could read, in milliseconds.
    public static var longestMilliseconds: Int { longest.load(ordering: .relaxed) }

    /// GRDB's busy callback for read-only connections: counts the wait, sleeps and asks
    /// SQLite to try again, until `limit` has passed.
    @Sendable static func busyHandler(_ tries: Int) -> Bool {
        if tries == 0 { waits.add(1, ordering: .relaxed) }
        let slept = sleptBefore(tries)
        guard slept < Int(limit.components.seconds) * 1000 else { return false }
        let next = sleeps[min(tries, sleeps.count - 1)]
        usleep(useconds_t(next * 1000))
        longest.max(slept + next, ordering: .relaxed)
        return true
    }

    /// The milliseconds slept before try number `tries`.
    private static func sleptBefore(_ tries: Int) -> Int {
        let known = sleeps.prefix(tries).reduce(0, +)
        return known + max(0, tries - sleeps.count) * (sleeps.last ?? 100)
    }
}
