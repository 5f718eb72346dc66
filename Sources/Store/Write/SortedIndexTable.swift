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
/// order.) The schema row is then edited to name the b-tree as the index
/// (`StoreSchema.editSchemaRows`, as the version 2 and 4 migrations do): the b-tree written is the
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

    /// Writes `count` rows into the table created by `create`, in key order
    /// (`RawStatement.insertRows`), then makes the table the index (`becomeIndex`).
    /// `bind(statement, parameter, i)` binds the key columns and fid of the i-th row to the
    /// statement's parameters from `parameter` on.
    func fill(_ db: Database, count: Int, bind: (RawStatement, Int32, Int) -> Void) throws {
        try RawStatement.insertRows(db, into: name, columns: index.columns + ["fid"], count: count, bind: bind)
        try becomeIndex(db)
    }

    /// Makes the table's b-tree the index: its schema row renamed and given the index's
    /// definition, in the transaction that wrote it.
    private func becomeIndex(_ db: Database) throws {
        try StoreSchema.editSchemaRows(db) {
            try db.execute(
                sql: "UPDATE sqlite_schema SET type = 'index', name = ?, tbl_name = 'sites', sql = ? WHERE type = 'table' AND name = ?",
                arguments: [index.name, StoreSchema.createUniqueIndex(index), name])
        }
    }
}
