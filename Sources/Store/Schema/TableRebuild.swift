import Foundation
import GRDB

/// A table given a new definition by SQLite's documented rebuild procedure
/// (https://www.sqlite.org/lang_altertable.html#otheralter), for schema changes that
/// `ALTER TABLE` cannot make (a constraint rewritten or removed).
///
/// ```swift
/// try TableRebuild(table: "sites", definition: newCreateTableSQL).run(db)   // inside a migration
/// ```
/// Inside the caller's transaction, with foreign keys off (a `DatabaseMigrator` migration;
/// refused otherwise, since `DROP TABLE` would then delete child rows):
/// 1. the indexes of the table (those with SQL: SQLite's automatic ones follow the new
///    definition) and every trigger and view whose SQL names it, on whatever table, are
///    remembered, and the triggers and views dropped;
/// 2. `CREATE TABLE <table>_rebuilt` with the new definition, `INSERT INTO … SELECT` of every
///    column the two share, by name (`fid` among them: the rows keep their ids, so the
///    GeoPackage R*Tree, whose ids are fids, and every row naming one stay right);
/// 3. `DROP TABLE`, `ALTER TABLE <table>_rebuilt RENAME TO <table>`, and the table's
///    AUTOINCREMENT counter (`sqlite_sequence`) set back to what it was, so no fid is reused;
/// 4. the indexes, triggers and views made again from their remembered SQL, in their order.
///
/// The rename runs with `PRAGMA legacy_alter_table = ON` (set back after): since SQLite
/// 3.26 a rename re-parses every trigger and view in the schema and fails on one naming the
/// dropped table, and it rewrites references to the renamed table. Step 1 drops every
/// such trigger and view, so neither can happen; legacy mode only makes sure the rename
/// touches nothing but the table's own row. The table's SQL afterwards spells its name
/// quoted (`CREATE TABLE "sites" (…)`), as SQLite writes a renamed table's name; it reads
/// the same. Foreign keys of other tables that name this one keep naming it: they are text,
/// checked again by the migrator's `PRAGMA foreign_key_check` before commit.
struct TableRebuild {
    let table: String
    /// The new `CREATE TABLE <table> (…)` statement.
    let definition: String

    /// The error for a rebuild that cannot go on (an SQLite error, so that the store names
    /// its file with it, as for any other failed migration step).
    func refusal(_ reason: String) -> DatabaseError {
        DatabaseError(resultCode: .SQLITE_ERROR, message: "cannot rebuild the table \(table): \(reason)")
    }

    func run(_ db: Database) throws {
        guard try Int.fetchOne(db, sql: "PRAGMA foreign_keys") == 0 else {
            throw refusal("foreign keys are on (DROP TABLE would delete the rows that name its rows)")
        }
        let staging = table + "_rebuilt"
        guard let renamedDefinition = Self.renamed(definition, from: table, to: staging) else {
            throw refusal("the new definition does not begin with CREATE TABLE \(table)")
        }
        let dependents = try Self.dependents(db, of: table)
        for d in dependents where d.type != "index" {
            try db.execute(sql: "DROP \(d.type.uppercased()) IF EXISTS \(Self.quoted(d.name))")
        }
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = ?", arguments: [table])

        try db.execute(sql: renamedDefinition)
        let newColumns = Set(try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [staging]))
        let columns = try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table])
            .filter(newColumns.contains).map(Self.quoted).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(Self.quoted(staging)) (\(columns)) SELECT \(columns) FROM \(Self.quoted(table))")
        try db.execute(sql: "DROP TABLE \(Self.quoted(table))")
        let legacy = try Int.fetchOne(db, sql: "PRAGMA legacy_alter_table") ?? 0
        try db.execute(sql: "PRAGMA legacy_alter_table = ON")
        do {
            try db.execute(sql: "ALTER TABLE \(Self.quoted(staging)) RENAME TO \(Self.quoted(table))")
        } catch {
            try db.execute(sql: "PRAGMA legacy_alter_table = \(legacy)")
            throw error
        }
        try db.execute(sql: "PRAGMA legacy_alter_table = \(legacy)")
        if let sequence {
            // sqlite_sequence is an ordinary table for UPDATE and INSERT (documented in
            // https://www.sqlite.org/autoinc.html); the copy set the counter to the largest
            // fid copied, which is below the old counter when the last sites were deleted.
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", arguments: [sequence, table])
            if db.changesCount == 0 {
                try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", arguments: [table, sequence])
            }
        }
        for d in dependents { try db.execute(sql: d.sql) }
        db.clearSchemaCache()
    }

    /// The table's indexes that have SQL, and the triggers and views whose SQL names it as a
    /// word, in the order SQLite stored them.
    static func dependents(_ db: Database, of table: String) throws -> [(type: String, name: String, sql: String)] {
        let pattern = try NSRegularExpression(pattern: "(^|[^A-Za-z0-9_])\"?\(NSRegularExpression.escapedPattern(for: table))\"?([^A-Za-z0-9_]|$)",
                                              options: [.caseInsensitive])
        return try Row.fetchAll(db, sql: """
            SELECT type, name, tbl_name, sql FROM sqlite_schema
            WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL ORDER BY rowid
            """).compactMap { row -> (type: String, name: String, sql: String)? in
            let type: String = row["type"], name: String = row["name"], owner: String = row["tbl_name"], sql: String = row["sql"]
            let named = owner.caseInsensitiveCompare(table) == .orderedSame
                || pattern.firstMatch(in: sql, range: NSRange(sql.startIndex..., in: sql)) != nil
            guard type == "index" ? owner.caseInsensitiveCompare(table) == .orderedSame : named else { return nil }
            return (type, name, sql)
        }
    }

    /// `definition` with the name after `CREATE TABLE` changed, nil if it is not there.
    static func renamed(_ definition: String, from table: String, to name: String) -> String? {
        for spelling in [table, "\"\(table)\""] {
            let prefix = "CREATE TABLE \(spelling) "
            let tight = "CREATE TABLE \(spelling)("
            if definition.hasPrefix(prefix) { return "CREATE TABLE \(quoted(name)) " + definition.dropFirst(prefix.count) }
            if definition.hasPrefix(tight) { return "CREATE TABLE \(quoted(name)) (" + definition.dropFirst(tight.count) }
        }
        return nil
    }

    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
