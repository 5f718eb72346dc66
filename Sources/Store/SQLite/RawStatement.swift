import GRDB
import GRDBSQLite

/// A prepared statement driven through SQLite's C API on a GRDB connection, for the few loops
/// that touch every row of a large table (index builds, bulk inserts), where boxing each
/// value as a `DatabaseValue` would cost more than SQLite's own work.
///
/// ```swift
/// let insert = try RawStatement(db, "INSERT INTO t (id, data) VALUES (?, ?)")
/// try insert.bind(1, Int64(7)); try insert.bind(2, bytes)
/// try insert.run()
/// ```
/// Valid only while `db` is: use it inside the GRDB access that made it.
final class RawStatement {
    private let connection: OpaquePointer
    private let handle: OpaquePointer
    let sql: String
    /// The GRDB statement lent by the connection's cache (`cached:`), kept alive here and
    /// never finalized by this type; nil for a statement this type prepared and owns.
    private let lent: Statement?
    /// The bytes bound by `bindStaged` until `run()`: blocks never moved or freed while the
    /// statement lives, so SQLite can point at them instead of copying. (Behind a pointer:
    /// as stored properties of the class, every access paid a dynamic exclusivity check.)
    private struct Staging {
        var blocks: [UnsafeMutableRawBufferPointer] = []
        var block = 0
        var offset = 0
        /// The parameters bound to staged bytes since the last run.
        var parameters: [Int32] = []
    }
    private let staging = UnsafeMutablePointer<Staging>.allocate(capacity: 1)
    private static let stagingBlockSize = 1 << 16

    /// Whether the caller binds every staged parameter again before every run.
    private let rebindsStagedParameters: Bool

    /// - Parameter rebindsStagedParameters: true for a statement whose parameters bound to
    ///   staged bytes the caller binds again before every run (they are then not unbound
    ///   after each run, which cost a call per parameter).
    init(_ db: Database, _ sql: String, rebindsStagedParameters: Bool = false) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed connection", sql: sql)
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.connection = connection
        self.handle = statement
        self.sql = sql
        self.rebindsStagedParameters = rebindsStagedParameters
        lent = nil
        staging.initialize(to: Staging())
    }

    /// The connection's cached statement for `sql` (prepared once per connection, as GRDB's
    /// `cachedStatement`), driven through the C API: for queries asked once per API call.
    init(cached db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "closed connection", sql: sql)
        }
        let statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        self.connection = connection
        self.handle = statement.sqliteStatement
        self.sql = sql
        rebindsStagedParameters = false
        lent = statement
        staging.initialize(to: Staging())
    }

    deinit {
        if lent == nil {
            sqlite3_finalize(handle)
        } else {
            sqlite3_reset(handle)
            for index in staging.pointee.parameters { sqlite3_bind_null(handle, index) }
        }
        for block in staging.pointee.blocks { block.deallocate() }
        staging.deinitialize(count: 1)
        staging.deallocate()
    }

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(handle, index, value)
    }

    /// Binds a copy of `bytes` (SQLite copies before this returns).
    func bind(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        // A null pointer would bind NULL, not an empty blob.
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            sqlite3_bind_zeroblob(handle, index, 0)
            return
        }
        sqlite3_bind_blob(handle, index, base, Int32(bytes.count), rawTransient)
    }

    /// Binds text (copied by SQLite), or NULL.
    func bind(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        _ = text.withUTF8 { utf8 in
            // A null pointer would bind NULL, not an empty string.
            if let base = utf8.baseAddress, !utf8.isEmpty {
                sqlite3_bind_text(handle, index, base, Int32(utf8.count), rawTransient)
            } else {
                sqlite3_bind_text(handle, index, "", 0, rawTransient)
            }
        }
    }

    func bind(_ index: Int32, _ value: Double?) {
        if let value { sqlite3_bind_double(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    func bind(_ index: Int32, _ value: Int?) {
        if let value { sqlite3_bind_int64(handle, index, Int64(value)) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds a GRDB value (text and blobs copied by SQLite).
    func bind(_ index: Int32, _ value: DatabaseValue) {
        switch value.storage {
        case .null: sqlite3_bind_null(handle, index)
        case let .int64(v): sqlite3_bind_int64(handle, index, v)
        case let .double(v): sqlite3_bind_double(handle, index, v)
        case let .string(text):
            bind(index, text)
        case let .blob(data):
            data.withUnsafeBytes { bind(index, $0) }
        }
    }

    /// Binds `values` to parameters 1, 2, ….
    func bind(_ values: [DatabaseValue]) {
        for (i, v) in values.enumerated() { bind(Int32(i + 1), v) }
    }

    /// Binds text without SQLite's copy (and its allocation): the bytes are staged in this
    /// statement's blocks until `run()`, which unbinds them. For statements bound afresh
    /// before every run.
    func bindStaged(_ index: Int32, _ text: String?) {
        guard var text else {
            sqlite3_bind_null(handle, index)
            return
        }
        text.withUTF8 { utf8 in
            let bytes = stage(UnsafeRawBufferPointer(utf8))
            sqlite3_bind_text(handle, index, bytes.assumingMemoryBound(to: CChar.self), Int32(utf8.count), nil)
            noteStaged(index)
        }
    }

    /// `bindStaged` for text of `byteCount` UTF-8 bytes that `write` puts straight into the
    /// staging blocks (for text made of parts, without making a String of it first).
    func bindStagedText(_ index: Int32, byteCount: Int, _ write: (UnsafeMutableRawBufferPointer) -> Void) {
        let bytes = reserve(byteCount)
        write(UnsafeMutableRawBufferPointer(start: bytes, count: byteCount))
        sqlite3_bind_text(handle, index, bytes.assumingMemoryBound(to: CChar.self), Int32(byteCount), nil)
        noteStaged(index)
    }

    /// `bindStaged` for text given as its UTF-8 bytes.
    func bindStagedText(_ index: Int32, _ utf8: UnsafeRawBufferPointer) {
        bindStagedText(index, byteCount: utf8.count) { target in
            if let source = utf8.baseAddress, let base = target.baseAddress { base.copyMemory(from: source, byteCount: utf8.count) }
        }
    }

    /// `bindStaged` for a blob.
    func bindStaged(_ index: Int32, _ bytes: UnsafeRawBufferPointer) {
        sqlite3_bind_blob(handle, index, stage(bytes), Int32(bytes.count), nil)
        noteStaged(index)
    }

    /// Records a parameter bound to staged bytes, to be unbound by `run()` — unless the
    /// caller binds every such parameter again before every run (`rebindsStagedParameters`):
    /// then none can be left pointing at reused bytes when SQLite next reads them.
    private func noteStaged(_ index: Int32) {
        if !rebindsStagedParameters { staging.pointee.parameters.append(index) }
    }

    /// A copy of `bytes` in the staging blocks (a valid pointer even for no bytes).
    private func stage(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawPointer {
        let target = reserve(bytes.count)
        if let source = bytes.baseAddress { target.copyMemory(from: source, byteCount: bytes.count) }
        return UnsafeRawPointer(target)
    }

    /// Room for `count` bytes in the staging blocks, reused after the next run.
    private func reserve(_ count: Int) -> UnsafeMutableRawPointer {
        let s = staging
        while true {
            if s.pointee.block == s.pointee.blocks.count {
                s.pointee.blocks.append(.allocate(byteCount: max(Self.stagingBlockSize, count), alignment: 8))
            }
            let block = s.pointee.blocks[s.pointee.block]
            if block.count - s.pointee.offset >= count, let base = block.baseAddress {
                defer { s.pointee.offset += count }
                return base + s.pointee.offset
            }
            s.pointee.block += 1
            s.pointee.offset = 0
        }
    }

    /// Runs a statement that returns no rows, then makes it ready for the next bindings (the
    /// staged ones unbound, so no parameter points at bytes about to be reused).
    func run() throws {
        let code = sqlite3_step(handle)
        let failure = code == SQLITE_DONE ? nil : error(code)
        sqlite3_reset(handle)
        for index in staging.pointee.parameters { sqlite3_bind_null(handle, index) }
        staging.pointee.parameters.removeAll(keepingCapacity: true)
        staging.pointee.block = 0
        staging.pointee.offset = 0
        if let failure { throw failure }
    }

    /// Makes the statement ready to run again (keeping its bindings).
    func reset() {
        sqlite3_reset(handle)
    }

    /// Steps once: true while there is a row to read.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw error(code)
        }
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// SQLite's storage classes, as a column of the current row holds one.
    enum StorageClass { case null, integer, real, text, blob }

    /// The storage class of `column`'s value in the current row.
    func storageClass(_ column: Int32) -> StorageClass {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: .integer
        case SQLITE_FLOAT: .real
        case SQLITE_TEXT: .text
        case SQLITE_BLOB: .blob
        default: .null
        }
    }

    /// The bytes of `column`'s value as stored, its storage class being `storageClass` (the
    /// text's UTF-8 or the blob's bytes; no conversion), valid until the next step.
    func storedBytes(_ column: Int32, _ storageClass: StorageClass) -> UnsafeRawBufferPointer {
        let start: UnsafeRawPointer? = storageClass == .text
            ? sqlite3_column_text(handle, column).map(UnsafeRawPointer.init) : sqlite3_column_blob(handle, column)
        let count = Int(sqlite3_column_bytes(handle, column))
        guard let start, count > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: start, count: count)
    }

    /// The real in `column` as stored (its storage class being `.real`).
    func storedReal(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The value in `column` as a double (SQLite's conversion), nil for NULL.
    func double(_ column: Int32) -> Double? {
        sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : sqlite3_column_double(handle, column)
    }

    /// The text in `column` (SQLite's conversion of other types), "" for NULL.
    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// The UTF-8 bytes of `column`'s value as `text(_:)` reads it (SQLite's conversion of
    /// numbers and blobs), valid until the next step; nil for NULL.
    /// (SQLite gives no text for NULL, so the column's type is not asked first.)
    func convertedTextBytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The UTF-8 bytes of the text in `column` of the current row, valid until the next
    /// step; nil unless the value is text.
    func textBytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(handle, column) == SQLITE_TEXT, let bytes = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// The blob in `column` of the current row, valid until the next step; nil for NULL.
    func blob(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard sqlite3_column_type(handle, column) == SQLITE_BLOB else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return UnsafeRawBufferPointer(start: sqlite3_column_blob(handle, column), count: count)
    }

    /// The connection's error, with SQLite's extended code (`SQLITE_CONSTRAINT_UNIQUE` …).
    private func error(_ code: Int32) -> DatabaseError {
        let extended = sqlite3_extended_errcode(connection)
        return DatabaseError(resultCode: ResultCode(rawValue: extended != 0 ? extended : code),
                             message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}

/// SQLite's SQLITE_TRANSIENT (the destructor value -1): copy the bytes before returning.
private let rawTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
