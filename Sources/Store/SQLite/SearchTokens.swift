import Foundation
import GRDB
import GRDBSQLite

/// The words of the search index as SQLite's FTS5 makes them: its own `unicode61` tokenizer with
/// `remove_diacritics 2`, as `SiteSearchIndex` declares it, called through FTS5's C API
/// (`fts5_api.xFindTokenizer`). Another engine that keeps these words finds and ranks exactly
/// what the file's index finds and ranks.
///
/// ```swift
/// try SearchTokens.words(in: ["Málaga, Cementerio de San Rafael"])   // [["malaga", "cementerio", "de", "san", "rafael"]]
/// ```
/// The text is expected folded already (`SearchText`), as the index's text is.
public enum SearchTokens {
    /// The tokens of each of `texts`, in order.
    /// - Throws: `StoreError.database` when SQLite has no FTS5 or the tokenizer fails.
    public static func words(in texts: [String]) throws -> [[String]] {
        let queue = try DatabaseQueue()
        return try queue.inDatabase { db in
            let tokenizer = try Tokenizer(db)
            return try texts.map { try tokenizer.tokens($0) }
        }
    }

    /// Calls `body` with a tokenizer valid during the call (on a connection of its own).
    public static func withTokenizer<T>(_ body: (Tokenizer) throws -> T) throws -> T {
        let queue = try DatabaseQueue()
        return try queue.inDatabase { db in try body(try Tokenizer(db)) }
    }

    /// FTS5's `unicode61 remove_diacritics 2` tokenizer on one connection.
    public final class Tokenizer {
        private let module: fts5_tokenizer
        private let instance: OpaquePointer
        private let owner: UnsafeMutableRawPointer?

        init(_ db: Database) throws {
            guard let connection = db.sqliteConnection else { throw Self.failure("no connection") }
            var api: UnsafeMutablePointer<fts5_api>?
            var statement: OpaquePointer?
            guard sqlite3_prepare_v2(connection, "SELECT fts5(?1)", -1, &statement, nil) == SQLITE_OK, let statement else {
                throw Self.failure("this SQLite has no FTS5")
            }
            defer { sqlite3_finalize(statement) }
            withUnsafeMutablePointer(to: &api) { slot in
                _ = sqlite3_bind_pointer(statement, 1, UnsafeMutableRawPointer(slot), "fts5_api_ptr", nil)
            }
            _ = sqlite3_step(statement)
            guard let api, let find = api.pointee.xFindTokenizer else { throw Self.failure("this SQLite has no FTS5") }
            var context: UnsafeMutableRawPointer?
            var module = fts5_tokenizer()
            guard find(api, "unicode61", &context, &module) == SQLITE_OK, let create = module.xCreate else {
                throw Self.failure("FTS5 has no unicode61 tokenizer")
            }
            var made: OpaquePointer?
            let arguments = ["remove_diacritics", "2"]
            let status = arguments.withCStrings { pointers in
                var list = pointers
                return create(context, &list, Int32(list.count), &made)
            }
            guard status == SQLITE_OK, let made else { throw Self.failure("the unicode61 tokenizer cannot be made") }
            self.module = module
            instance = made
            owner = context
        }

        deinit { module.xDelete?(instance) }

        /// The tokens of `text` (already folded), in order.
        public func tokens(_ text: String) throws -> [String] {
            final class Collected { var tokens: [String] = [] }
            let collected = Collected()
            let status = text.utf8CString.withUnsafeBufferPointer { bytes -> Int32 in
                let context = Unmanaged.passUnretained(collected).toOpaque()
                return module.xTokenize?(instance, context, 0, bytes.baseAddress, Int32(bytes.count - 1)) { context, _, token, length, _, _ in
                    guard let context, let token else { return SQLITE_OK }
                    let into = Unmanaged<Collected>.fromOpaque(context).takeUnretainedValue()
                    into.tokens.append(token.withMemoryRebound(to: UInt8.self, capacity: Int(length)) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: Int(length)), as: UTF8.self)
                    })
                    return SQLITE_OK
                } ?? SQLITE_ERROR
            }
            guard status == SQLITE_OK else { throw Self.failure("tokenizing failed (\(status))") }
            return collected.tokens
        }

        private static func failure(_ reason: String) -> StoreError {
            StoreError.database(path: ":memory:", message: "the search tokenizer: \(reason)", sql: nil)
        }
    }
}

private extension Array where Element == String {
    /// `body` with these strings as C strings (valid during the call).
    func withCStrings<T>(_ body: ([UnsafePointer<CChar>?]) -> T) -> T {
        let copies = map { strdup($0) }
        defer { copies.forEach { free($0) } }
        return body(copies.map { $0.map { UnsafePointer($0) } })
    }
}
