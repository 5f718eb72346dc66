import GRDB

/// The step the sorted index builds share (`SortedUUIDIndex`, `SortedSourceKeyIndex`): a
/// WITHOUT ROWID table keyed on an index's columns and then `fid`, filled in key order, whose
/// schema row then becomes the index's.
///
/// ```swift
/// let table = SortedIndexTable(index: StoreSchema.uuidIndex, columns: ["uuid TEXT NOT NULL"])
/// guard try table.create(db) else { … }      // false: a name is taken
/// try table.fill(db, count: keys.count) { statement, parameter, i in … bind keys[i] … }
/// ```
/// Such a table's b-tree is in exactly the format of an index on `sites`: an index b-tree
/// whose records are the key columns and then the row's fid (the rowid). Entries written in
/// key order each go at the end of the last page, where `CREATE INDEX` would have sorted every
/// row's key with SQLite's external sorter after scanning the table for them. (SQLite places
/// each entry by its key, so the order only makes it fast: the b-tree is the same in any
/// order.) The schema row is then edited to name the b-tree as the index (the
/// `writable_schema` procedure of the version 2 and 4 migrations): the b-tree written is the
/// index itself, not a copy, and `PRAGMA integrity_check` compares it with the table like any
/// other. Key columns must be NOT NULL (a WITHOUT ROWID key cannot hold NULL).
struct SortedIndexTable {
    let index: (name: String, columns: [String])
    /// Each key column's definition, in the index's order.
    let columns: [String]

    var name: String { index.name + "_sorted" }

    /// Creates the table, or returns false (nothing written) when its name or the index's is
    /// taken.
    func create(_ db: Database) throws -> Bool {
        let taken = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE name IN (?, ?))",
                                      arguments: [name, index.name]) ?? true
        guard !taken else { return false }
        try db.execute(sql: """
            CREATE TABLE \(name) (\((columns + ["fid INTEGER NOT NULL"]).joined(separator: ", ")),
              PRIMARY KEY (\((index.columns + ["fid"]).joined(separator: ", ")))) WITHOUT ROWID
            """)
        return true
    }

    /// Rows per INSERT statement.
    static let rowsPerStatement = 64

    /// Writes `count` rows into the table created by `create`, in key order, then makes the
    /// table the index (`becomeIndex`). `bind(statement, parameter, i)` binds the key
    /// columns and fid of the i-th row to the statement's parameters from `parameter` on.
    func fill(_ db: Database, count: Int, bind: (RawStatement, Int32, Int) -> Void) throws {
        let width = index.columns.count + 1
        func insertSQL(rows: Int) -> String {
            let row = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
            return "INSERT INTO \(name) (\((index.columns + ["fid"]).joined(separator: ", "))) VALUES "
                + Array(repeating: row, count: rows).joined(separator: ", ")
        }
        let insertRows = try RawStatement(db, insertSQL(rows: Self.rowsPerStatement), rebindsStagedParameters: true)
        let insertRow = try RawStatement(db, insertSQL(rows: 1), rebindsStagedParameters: true)
        var start = 0
        while start < count {
            let (statement, rows) = count - start >= Self.rowsPerStatement ? (insertRows, Self.rowsPerStatement) : (insertRow, 1)
            for r in 0..<rows { bind(statement, Int32(r * width + 1), start + r) }
            try statement.run()
            start += rows
        }
        try becomeIndex(db)
    }

    /// Makes the table's b-tree the index: its schema row renamed and given the index's
    /// definition, in the transaction that wrote it.
    private func becomeIndex(_ db: Database) throws {
        let schemaVersion = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(
            sql: "UPDATE sqlite_schema SET type = 'index', name = ?, tbl_name = 'sites', sql = ? WHERE type = 'table' AND name = ?",
            arguments: [index.name, StoreSchema.createUniqueIndex(index), name])
        try db.execute(sql: "PRAGMA schema_version = \(schemaVersion + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        db.clearSchemaCache()
    }
}
