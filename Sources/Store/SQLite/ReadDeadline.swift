import Foundation
import GRDB

/// A time limit on one read: SQLite stops the read's statement (`sqlite3_interrupt`, through
/// GRDB's `interrupt()`) once the read outlives it.
///
/// ```swift
/// let rows = try ReadDeadline(seconds: 60).read(queue) { db in try Row.fetchAll(db, sql: sql) }
/// // past 60 s: throws ReadDeadline.Exceeded(seconds: 60)
/// ```
/// For files from elsewhere, whose views can be recursive queries that never end (or cost as
/// much): SQLite stops at the statement's next step, so the memory and temporary space such a
/// query takes stop growing too. The timer runs on a global dispatch queue and interrupts the
/// whole connection, so `queue` must run nothing but this read meanwhile (a `DatabaseQueue`
/// opened for the file being read).
/// - Edge cases: a read that ends before the limit cancels the timer; one that SQLite stops
///   for another reason (an interrupt from elsewhere) also throws `Exceeded`, as before.
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
        let timer = DispatchWorkItem { queue.interrupt() }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: timer)
        defer { timer.cancel() }
        do {
            return try queue.read(body)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_INTERRUPT {
            throw Exceeded(seconds: seconds)
        }
    }
}
