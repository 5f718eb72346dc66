import GRDB

/// What a failure of SQLite means to a caller outside the store, read from GRDB's
/// `DatabaseError` or the store's `StoreError.database` (which keeps SQLite's message only).
///
/// ```swift
/// do { try copy.insertBatch(sites, label: label) } catch {
///     switch SQLiteFailure(error) {
///     case .diskFull?: …                    // "the disk is full"
///     case let .other(message)?: …          // SQLite's own words
///     case nil: throw error                 // not SQLite's
///     }
/// }
/// ```
/// - Edge cases: a `StoreError.database` keeps no result code, so a full disk is known there
///   by SQLITE_FULL's text (`sqlite3_errstr`), "database or disk is full"; a `DatabaseError`
///   without a message gives its result code's name.
public enum SQLiteFailure: Hashable, Sendable {
    /// SQLITE_FULL: the disk (or the file system's quota) had no room for the write.
    case diskFull
    /// Any other failure, in SQLite's words.
    case other(message: String)

    /// The failure `error` reports, or nil when it is not SQLite's.
    public init?(_ error: any Error) {
        if let error = error as? DatabaseError {
            self = error.resultCode == .SQLITE_FULL ? .diskFull : .other(message: error.message ?? "\(error.resultCode)")
        } else if case let StoreError.database(_, message, _)? = error as? StoreError {
            self = message.hasPrefix(Self.diskFullText) ? .diskFull : .other(message: message)
        } else {
            return nil
        }
    }

    /// The start of SQLITE_FULL's text.
    static let diskFullText = "database or disk is full"
}
