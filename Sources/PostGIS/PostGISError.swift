import Foundation

/// What went wrong in the PostGIS engine: each case names the database (its URL without a
/// password) and the reason.
public enum PostGISError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text is not a `postgresql://` URL this engine can use.
    case badURL(String, reason: String)
    /// The server could not be reached or refused the connection.
    case connection(url: String, reason: String)
    /// A statement failed; `statement` is a short name of what was being done.
    case statement(url: String, statement: String, reason: String)
    /// The database's schema is newer than this program knows, or not a GraveAtlas schema.
    case schema(url: String, reason: String)
    /// A row read back from the database does not make a valid site, name, event or source.
    case badRow(url: String, table: String, key: String, reason: String)
    /// Another writer changed what this write read (a site, a dataset) since it was read: nothing
    /// was written, and the write may be run again on the store as it is now.
    case conflict(url: String, reason: String)

    public var description: String {
        switch self {
        case .badURL(let url, let reason): return "\(url): not a usable PostgreSQL URL: \(reason)"
        case .connection(let url, let reason): return "\(url): cannot connect: \(reason)"
        case .statement(let url, let statement, let reason): return "\(url): \(statement) failed: \(reason)"
        case .schema(let url, let reason): return "\(url): \(reason)"
        case .badRow(let url, let table, let key, let reason): return "\(url): \(table) row \(key): \(reason)"
        case .conflict(let url, let reason): return "\(url): \(reason); nothing was written: run it again"
        }
    }
}
