import Foundation
import GRDB
import GRDBSQLite

/// A time limit on one read: SQLite stops the read's statement once the read outlives it.
///
/// ```swift
/// let rows = try ReadDeadline(seconds: 60).read(queue) { db in try Row.fetchAll(db, sql: sql) }
/// // past 60 s: throws ReadDeadline.Exceeded(seconds: 60)
/// ```
/// For files from elsewhere, whose views can be recursive queries that never end (or cost as
/// much): SQLite stops at the statement's next check, so the memory and temporary space such
/// a query takes stop growing too.
///
/// The clock is read by SQLite itself, from a progress handler (`sqlite3_progress_handler`,
/// every 1,000 virtual machine steps) on the read's own connection: no timer, no other thread,
/// so the limit holds however busy the process's thread pools are.
/// - Edge cases: the handler is removed when the read ends, whether it returns or throws; a
///   read that SQLite stops for another reason (an interrupt from elsewhere) also throws
///   `Exceeded`. Work the body does between SQLite calls is not stopped.
public struct ReadDeadline: Sendable {
    /// The longest a read may take, in seconds.
    public let seconds: Double

    /// The read was stopped after `seconds`.
    public struct Exceeded: Error, Hashable, Sendable {
        public let seconds: Double
    }

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Runs `body` in one read on `queue`, stopped after `seconds`.
    /// - Throws: `Exceeded` when SQLite stopped it; whatever `body` throws otherwise.
    public func read<T>(_ queue: DatabaseQueue, _ body: (Database) throws -> T) throws -> T {
        let nanoseconds = seconds.isFinite ? UInt64(max(0, min(seconds, 1e9)) * 1e9) : UInt64.max / 2
        let limit = DispatchTime.now().uptimeNanoseconds &+ nanoseconds
        do {
            return try queue.read { db in
                let at = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
                at.initialize(to: limit)
                sqlite3_progress_handler(db.sqliteConnection, 1_000, { context in
                    guard let context else { return 0 }
                    return DispatchTime.now().uptimeNanoseconds > context.assumingMemoryBound(to: UInt64.self).pointee ? 1 : 0
                }, at)
                defer {
                    sqlite3_progress_handler(db.sqliteConnection, 0, nil, nil)
                    at.deallocate()
                }
                return try body(db)
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw Exceeded(seconds: seconds)
        }
    }
}
