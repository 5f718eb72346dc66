import GRDB
import Synchronization

/// The store's read-only connections: each read takes an idle one (or opens one), runs in one
/// read transaction on it, and gives it back.
///
/// ```swift
/// let reads = ReadConnections(path: path, configuration: SiteStore.configuration())
/// let count = try reads.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") }
/// reads.close()
/// ```
/// A `DatabasePool` read costs about 25 µs before any query (checking out a reader, preparing
/// and running BEGIN and COMMIT): more than SQLite + SpatiaLite take for a whole `near`
/// query. Here a read costs a lock, the hand-over to the connection's queue and two cached
/// statements. Writes stay with the pool; WAL lets these connections read while it writes,
/// each read seeing the last commit before it began.
final class ReadConnections: Sendable {
    /// Idle connections kept for the next reads; more are opened when more reads run at once
    /// and closed when they come back to a full shelf.
    static let keptIdle = 8

    let path: String
    let configuration: Configuration
    private let idle = Mutex<(connections: [Connection], closed: Bool)>(([], false))

    /// One connection and what the queries remember on it between reads.
    private final class Connection: @unchecked Sendable {   // used by one read at a time
        let queue: DatabaseQueue
        var memo: SpatialMemo?
        init(_ queue: DatabaseQueue) { self.queue = queue }
    }

    init(path: String, configuration: Configuration) {
        var readOnly = configuration
        readOnly.readonly = true
        // Waits are counted (ReadWaits), not refused: a reader in WAL mode should never
        // wait, but when SQLite does make one wait (a crashed writer's log being recovered)
        // a query that fails at once would be worse for its user than a short wait.
        readOnly.busyMode = .callback(ReadWaits.busyHandler)
        self.path = path
        self.configuration = readOnly
    }

    /// Runs `body` in a read transaction on an idle connection.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try read { db, _ in try body(db) }
    }

    /// Runs `body` in a read transaction on an idle connection, with what earlier reads on
    /// that connection left in `memo` (kept for the next read on it).
    func read<T>(_ body: (Database, inout SpatialMemo?) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.connections.popLast() }
            ?? Connection(DatabaseQueue(path: path, configuration: configuration))
        defer { giveBack(connection) }
        return try connection.queue.inDatabase { db in
            try RawStatement(cached: db, "BEGIN DEFERRED").run()
            let result: T
            do {
                result = try body(db, &connection.memo)
            } catch {
                try? RawStatement(cached: db, "ROLLBACK").run()
                throw error
            }
            try RawStatement(cached: db, "COMMIT").run()
            return result
        }
    }

    private func giveBack(_ connection: Connection) {
        let kept = idle.withLock { shelf -> Bool in
            guard !shelf.closed, shelf.connections.count < Self.keptIdle else { return false }
            shelf.connections.append(connection)
            return true
        }
        if !kept { try? connection.queue.close() }
    }

    /// Closes the idle connections; reads still running close theirs when they finish.
    func close() throws {
        let connections = idle.withLock { shelf -> [Connection] in
            shelf.closed = true
            defer { shelf.connections = [] }
            return shelf.connections
        }
        for connection in connections { try connection.queue.close() }
    }
}
