import Foundation
import NIOCore
import PostgresNIO
import Store

/// A PostGIS store's rows as engines exchange them (`StoreTable`): written with `COPY … FROM
/// STDIN` in one transaction, read in key order.
extension PostGISStore {
    /// The number of rows in each table a copy carries (`StoreTable.copied`), by table name.
    public func rowCounts() async throws -> [String: Int] {
        try await withConnection { c in
            var counts: [String: Int] = [:]
            for table in StoreTable.copied {
                try await rows(c, "SELECT count(*) FROM \(table.name)", what: "count \(table.name)") {
                    counts[table.name] = Int((try? $0[0].decode(Int64.self)) ?? 0)
                }
            }
            return counts
        }
    }

    /// Writes every table of `StoreTable.copied` from `source` (its rows in `table.columns`
    /// order) with `COPY … FROM STDIN`, in one transaction: all of it, or nothing when a row is
    /// refused or `source` throws. The tables must be empty (checked inside the transaction,
    /// which holds them locked against other writers until it ends); their keys are kept and
    /// the key sequences moved past them. The tables' indexes (but those of keys and unique
    /// constraints) are set aside for the rows and made again after them, in the same
    /// transaction.
    /// - Returns: the number of rows written to each table, by name.
    /// - Throws: `PostGISError.statement` naming the table, `notEmpty`-style refusal as
    ///   `PostGISError.schema`.
    func copyIn(from source: (StoreTable) -> RowBatches) async throws -> [String: Int] {
        try await inTransaction { c in
            let names = StoreTable.copied.map(\.name).joined(separator: ", ")
            try await run(c, "LOCK TABLE \(names) IN SHARE ROW EXCLUSIVE MODE", what: "lock the tables")
            for table in StoreTable.copied {
                var any = false
                try await rows(c, "SELECT 1 FROM \(table.name) LIMIT 1", what: "look into \(table.name)") { _ in any = true }
                if any {
                    throw PostGISError.schema(url: url.description, reason:
                        "it already holds a GraveAtlas store (its table \(table.name) has rows): a new store or a copy goes only into a database without one")
                }
            }
            // The tables' own indexes (not those behind a key or a unique constraint) are made
            // again once the rows are in: one sorted build each rather than an insert per row
            // (a GiST index on geography most of all). In the transaction: a failure leaves them
            // as they were.
            let indexes = try await setIndexesAside(c, of: StoreTable.copied + [.searchEntries])
            var counts: [String: Int] = [:]
            for table in StoreTable.copied + [.searchEntries] {
                let rows = source(table)
                defer { rows.stop() }
                let count = try await copyRows(c, into: table.name, columns: table.columnNames, rows) { row, buffer in
                    try CopyText.append(row, of: table, to: &buffer)
                }
                counts[table.name] = count
                if table.columns.contains(where: { $0.kind == .key }) {
                    try await run(c, """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', '\(table.key)'), coalesce(max(\(table.key)), 0) + 1, false)
                        FROM \(table.name)
                        """, what: "move the key sequence of \(table.name)")
                }
            }
            try await makeIndexesAgain(c, indexes)
            try await notifyChange(c)
            return counts
        }
    }

    /// Drops the indexes of `tables` but those behind a key or a unique constraint, in the
    /// transaction of `c`, before many rows are written: one sorted build each afterwards
    /// (`makeIndexesAgain`) rather than an insert per row (a GiST index on geography most of
    /// all). A failure of the transaction leaves them as they were; until it ends, the tables
    /// are locked against readers too.
    /// - Returns: the indexes dropped, to be made again.
    func setIndexesAside(_ c: PostgresConnection, of tables: [StoreTable]) async throws -> [(name: String, definition: String)] {
        var indexes: [(name: String, definition: String)] = []
        var tableNames = PostgresBindings()
        tableNames.append(tables.map(\.name))
        try await rows(c, """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY($1)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = (quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)
            ORDER BY i.tablename, i.indexname
            """, binds: tableNames, what: "list the tables' indexes") { row in
            indexes.append((try row[0].decode(String.self), try row[1].decode(String.self)))
        }
        for index in indexes {
            try await run(c, "DROP INDEX \(StoreTable.quoted(index.name))", what: "set index \(index.name) aside for the rows")
        }
        return indexes
    }

    /// Makes the indexes `setIndexesAside` dropped again.
    func makeIndexesAgain(_ c: PostgresConnection, _ indexes: [(name: String, definition: String)]) async throws {
        for index in indexes {
            try await run(c, index.definition, what: "make index \(index.name) again")
        }
    }

    /// Bytes sent to the server per `COPY` data message.
    static let copyChunk = 256 * 1024

    /// Sends `rows` with `COPY name (columns) FROM STDIN`, each row written as one line of
    /// COPY's text format by `line`, in messages of about `copyChunk` bytes.
    /// - Returns: the rows sent.
    /// - Throws: what `line` or `rows` throw; `PostGISError.statement` naming the table when
    ///   the server refuses.
    func copyRows(_ c: PostgresConnection, into name: String, columns: [String], _ rows: RowBatches,
                  line: @escaping (_ row: [StoredValue], _ buffer: inout ByteBuffer) throws -> Void) async throws -> Int {
        var count = 0
        do {
            try await c.copyFrom(table: name, columns: columns, logger: logger) { writer in
                var buffer = ByteBuffer()
                buffer.reserveCapacity(Self.copyChunk + 4096)
                for try await batch in rows {
                    for row in batch {
                        try line(row, &buffer)
                        count += 1
                        if buffer.readableBytes >= Self.copyChunk {
                            try await writer.write(buffer)
                            buffer.clear()
                        }
                    }
                }
                if buffer.readableBytes > 0 { try await writer.write(buffer) }
            }
        } catch let error as PostGISError {
            throw error
        } catch let error as StoreError {
            throw error
        } catch {
            throw PostGISError.statement(url: url.description, statement: "COPY \(name)", reason: Self.reason(error))
        }
        return count
    }

    /// Every row of each of `tables`, table after table, in key order, its values in
    /// `table.columns` order (geometries as little-endian ISO WKB, ids as upper-case text), all
    /// from one read-only `REPEATABLE READ` snapshot: a copy out of a database that others write
    /// meanwhile holds one state of it (read table by table, a name could come without its site,
    /// an audit entry without what it lists). `body` may suspend (the rows wait in PostgreSQL
    /// meanwhile); `ended` is called after each table's last row.
    /// - Throws: `PostGISError.badRow` for a value of an unexpected type.
    /// With `marks`, also what a write made on a copy of these rows needs to know of them
    /// (`ReadMarks`), read in the same snapshot after the last table; with `fingerprints`, the
    /// digests of the rows read (`RowFingerprints`), in the same snapshot before the first.
    public func forEachRow(of tables: [StoreTable], _ body: (StoreTable, [StoredValue]) async throws -> Void,
                           ended: (StoreTable) async throws -> Void, marks: ReadMarks.Box? = nil,
                           fingerprints: RowFingerprints.Box? = nil) async throws {
        try await inTransaction(begin: Self.readSnapshot) { c in
            if let fingerprints { fingerprints.set(try await self.fingerprints(c, size: fingerprints.size)) }
            for table in tables {
                try await streamed(c, Self.rowSelect(table), binds: PostgresBindings(), what: "read \(table.name)") { row in
                    try await body(table, try values(of: row, in: table))
                }
                try await ended(table)
            }
            if let marks { marks.set(try await readMarks(c)) }
        }
    }

    /// The query `forEachRow(of:_:ended:)` reads a table with: its columns in order, ids as upper-case text,
    /// geometries as little-endian WKB, by key; with `keys`, only the rows whose key is between
    /// `$1` and `$2` (an integer key).
    static func rowSelect(_ table: StoreTable, keys: Bool = false) -> String {
        let select = table.columns.map { column -> String in
            let name = "t." + StoreTable.quoted(column.name)
            switch column.kind {
            case .uuid: return "upper(\(name)::text)"
            case .geometry: return "ST_AsBinary(\(name), 'NDR')"
            default: return table == .searchEntries ? "\(name)::text" : name
            }
        }.joined(separator: ", ")
        // The search words in the order of their sites' keys.
        if table == .searchEntries {
            return "SELECT \(select) FROM site_search t JOIN sites s ON s.uuid = t.site_id ORDER BY s.fid"
        }
        let key = "t." + StoreTable.quoted(table.key)
        return "SELECT \(select) FROM \(table.name) t\(keys ? " WHERE \(key) BETWEEN $1 AND $2" : "") ORDER BY \(key)"
    }

    /// A row selected by `rowSelect` as the values of `table.columns`.
    func values(of row: PostgresRandomAccessRow, in table: StoreTable) throws -> [StoredValue] {
        var values: [StoredValue] = []
        values.reserveCapacity(table.columns.count)
        for (index, column) in table.columns.enumerated() {
            values.append(try value(row[index], column, table: table, key: values.first))
        }
        return values
    }

    /// One cell of a row selected by `rowSelect`.
    func value(_ cell: PostgresCell, _ column: StoreTable.Column, table: StoreTable, key: StoredValue?) throws -> StoredValue {
        guard cell.bytes != nil else { return .null }
        do {
            switch column.kind {
            case .key, .integer: return .integer(try cell.decode(Int64.self))
            case .real: return .real(try cell.decode(Double.self))
            case .text, .uuid: return .text(try cell.decode(String.self))
            case .geometry:
                var bytes = try cell.decode(ByteBuffer.self)
                return .wkb(bytes.readBytes(length: bytes.readableBytes) ?? [])
            case .blob:
                var bytes = try cell.decode(ByteBuffer.self)
                return .blob(bytes.readBytes(length: bytes.readableBytes) ?? [])
            }
        } catch {
            throw PostGISError.badRow(url: url.description, table: table.name, key: key.map { "\($0)" } ?? "?",
                                      reason: "\(column.name): \(Self.reason(error))")
        }
    }
}

/// PostgreSQL's `COPY` text format: one line a row, values separated by tabs, NULL as `\N`,
/// backslash, tab, newline and carriage return escaped.
enum CopyText {
    /// Appends `row` as one line, and `extra` as one more column after `table`'s.
    /// - Throws: `StoreError.invalidRecord` for text holding a NUL (PostgreSQL text cannot) or a
    ///   row of the wrong width.
    static func append(_ row: some RandomAccessCollection<StoredValue>, of table: StoreTable, extra: Int64? = nil,
                       to buffer: inout ByteBuffer) throws {
        guard row.count == table.columns.count else {
            throw StoreError.invalidRecord(id: table.name, reason: "a row of \(row.count) values for \(table.columns.count) columns")
        }
        for (index, value) in row.enumerated() {
            if index > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
            switch value {
            case .null: buffer.writeStaticString("\\N")
            case .integer(let n): buffer.writeString(String(n))
            case .real(let d): buffer.writeString(real(d))
            case .text(let s):
                for byte in s.utf8 {
                    switch byte {
                    case 0:
                        throw StoreError.invalidRecord(id: "\(table.name) row \(row.first ?? .null)",
                                                       reason: "\(table.columns[index].name) holds a NUL character")
                    case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
                    case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
                    case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
                    case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
                    default: buffer.writeInteger(byte)
                    }
                }
            case .blob(let bytes):
                // bytea's hex input, its backslash doubled as COPY's text format asks.
                buffer.writeStaticString("\\\\x")
                writeHex(bytes, to: &buffer)
            case .wkb(let bytes):
                // PostGIS reads hex WKB after an SRID prefix (EWKT's form) as the column's type.
                buffer.writeStaticString("SRID=4326;")
                writeHex(bytes, to: &buffer)
            }
        }
        if let extra {
            buffer.writeInteger(UInt8(ascii: "\t"))
            buffer.writeString(String(extra))
        }
        buffer.writeInteger(UInt8(ascii: "\n"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func writeHex(_ bytes: [UInt8], to buffer: inout ByteBuffer) {
        guard !bytes.isEmpty else { return }
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count * 2) { out in
            hexDigits.withUnsafeBufferPointer { digits in
                var i = 0
                for byte in bytes {
                    out[i] = digits[Int(byte >> 4)]
                    out[i + 1] = digits[Int(byte & 0x0F)]
                    i += 2
                }
                return i
            }
        }
    }

    /// A double as PostgreSQL's `float8` input reads it back exactly (Swift's shortest
    /// round-trip digits; PostgreSQL's words for the infinities and NaN).
    static func real(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return "\(d)"
    }
}
