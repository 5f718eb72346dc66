import Foundation
import Logging
import NIOCore
import PostgresNIO
import Store

/// A site store in a PostgreSQL database with PostGIS: the same tables as the GeoPackage store
/// (`StoreTable`), a `geometry(Geometry, 4326)` column with GiST indexes, and a `version` on each
/// site for optimistic concurrency.
///
/// ```swift
/// let store = PostGISStore(url: try PostgresURL("postgresql://analyst@db/atlas"))
/// try await store.migrate()                 // makes or upgrades the schema (graveatlas_schema)
/// let hits = try await store.near(Point(x: 51.389, y: 35.689), radius: 500)
/// ```
/// Each call opens its own connection and closes it at its end, so a store can be shared between
/// tasks freely; what one call writes, it writes in one transaction.
public final class PostGISStore: Sendable {
    public let url: PostgresURL
    let logger: Logger

    public init(url: PostgresURL, logger: Logger = Logger(label: "graveatlas.postgis")) {
        self.url = url
        self.logger = logger
    }

    /// Runs `body` on a new connection, closed at the end whatever happens.
    /// - Throws: `PostGISError.connection` when the server cannot be reached or refuses.
    func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: url.configuration, id: 1, logger: logger)
        } catch {
            throw PostGISError.connection(url: url.description, reason: Self.reason(error))
        }
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Runs `body` in one transaction on a new connection: committed when it returns, rolled
    /// back when it throws (then the database is as it was). `begin` opens it (with an
    /// isolation level, for example).
    func inTransaction<T: Sendable>(begin: String = "BEGIN", _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await withConnection { connection in
            try await run(connection, begin, what: "begin a transaction")
            do {
                let value = try await body(connection)
                try await run(connection, "COMMIT", what: "commit")
                return value
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs one statement, its rows dropped; a failure names `what` was being done.
    func run(_ connection: PostgresConnection, _ sql: String, binds: PostgresBindings = PostgresBindings(),
             what: String) async throws {
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
            for try await _ in rows {}
        } catch {
            throw PostGISError.statement(url: url.description, statement: what, reason: Self.reason(error))
        }
    }

    /// Runs one query and hands each row to `body`; a failure names `what` was being done, a
    /// value `body` cannot decode too (`streamed` for a body that suspends).
    func rows(_ connection: PostgresConnection, _ sql: String, binds: PostgresBindings = PostgresBindings(),
              what: String, _ body: (PostgresRandomAccessRow) throws -> Void) async throws {
        try await streamed(connection, sql, binds: binds, what: what) { row in
            do {
                try body(row)
            } catch let error as PostGISError {
                throw error
            } catch let error as StoreError {
                throw error
            } catch {
                throw PostGISError.statement(url: url.description, statement: what, reason: Self.reason(error))
            }
        }
    }

    /// The server's own words for a failure (postgres-nio hides them from `description`).
    static func reason(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let info = error.serverInfo, let message = info[.message] {
                let state = info[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                let detail = info[.detail].map { ": \($0)" } ?? ""
                return message + detail + state
            }
            if let underlying = error.underlying { return "\(error.code): \(underlying)" }
            return "\(error.code)"
        }
        if let error = error as? PostGISError { return error.description }
        return "\(error)"
    }
}
