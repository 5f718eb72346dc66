import Foundation
import GRDB
import Testing
@testable import Store

/// `TableRebuild` (SQLite's documented procedure for a new table definition) on a small
/// schema with the pieces a GeoPackage hangs on a feature table: a trigger on the table, a
/// trigger on another table and a view naming it, an index, a child table's foreign key,
/// an AUTOINCREMENT counter past the last row.
@Suite struct TableRebuildTests {
    static let schema = [
        "CREATE TABLE sites (fid INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, name TEXT CHECK (name IN ('a', 'b', 'c')))",
        "CREATE INDEX sites_name ON sites (name)",
        "CREATE TABLE names (id INTEGER PRIMARY KEY, site_id TEXT REFERENCES sites(uuid), name TEXT)",
        "CREATE TABLE log (entry TEXT)",
        "CREATE TRIGGER sites_insert AFTER INSERT ON sites BEGIN INSERT INTO log VALUES ('site ' || NEW.fid); END",
        "CREATE TRIGGER names_insert AFTER INSERT ON names BEGIN INSERT INTO log SELECT 'name of ' || fid FROM sites WHERE uuid = NEW.site_id; END",
        "CREATE VIEW named_sites AS SELECT s.fid, n.name FROM sites s JOIN names n ON n.site_id = s.uuid",
        "INSERT INTO sites (uuid, name) VALUES ('u1', 'a'), ('u2', 'b'), ('u3', 'c')",
        "INSERT INTO names (site_id, name) VALUES ('u1', 'x'), ('u2', 'y')",
        "DELETE FROM sites WHERE fid = 3",
    ]
    static let newDefinition = "CREATE TABLE sites (fid INTEGER PRIMARY KEY AUTOINCREMENT, uuid TEXT NOT NULL UNIQUE, name TEXT CHECK (name = 'a' OR name = 'b' OR name = 'c'))"

    static func otherSchemaRows(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_schema WHERE name <> 'sites' ORDER BY type, name")
    }

    @Test func rebuildKeepsRowsTriggersViewsIndexesAndTheCounter() throws {
        let queue = try DatabaseQueue()
        try queue.writeWithoutTransaction { db in
            for sql in Self.schema { try db.execute(sql: sql) }
            let before = (try Self.otherSchemaRows(db),
                          try String.fetchAll(db, sql: "SELECT fid || uuid || name FROM sites ORDER BY fid"))
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            try db.inTransaction {
                try TableRebuild(table: "sites", definition: Self.newDefinition).run(db)
                return .commit
            }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            // The table's own row: the new definition, its name quoted by the rename.
            let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'sites'")
            #expect(sql == Self.newDefinition.replacingOccurrences(of: "CREATE TABLE sites", with: "CREATE TABLE \"sites\""))
            // Everything else: the same rows of sqlite_schema, word for word (the trigger and
            // view on or naming the table were not rewritten by the rename), and the same data.
            #expect(try Self.otherSchemaRows(db) == before.0)
            #expect(try String.fetchAll(db, sql: "SELECT fid || uuid || name FROM sites ORDER BY fid") == before.1)
            #expect(try Int.fetchOne(db, sql: "PRAGMA legacy_alter_table") == 0)
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            // The counter stayed past the deleted fid 3; the triggers and the view work.
            try db.execute(sql: "DELETE FROM log")
            try db.execute(sql: "INSERT INTO sites (uuid, name) VALUES ('u4', 'c')")
            try db.execute(sql: "INSERT INTO names (site_id, name) VALUES ('u4', 'z')")
            #expect(try String.fetchAll(db, sql: "SELECT entry FROM log") == ["site 4", "name of 4"])
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM named_sites") == 3)
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO sites (uuid, name) VALUES ('u5', 'd')") }
            #expect(throws: DatabaseError.self) { try db.execute(sql: "INSERT INTO sites (uuid, name) VALUES ('u1', 'a')") }
        }
    }

    /// Why `TableRebuild` drops the triggers and views that name the table before the
    /// rename: with SQLite's default `legacy_alter_table = OFF`, `ALTER TABLE … RENAME`
    /// re-parses every trigger and view, and one that names the dropped table stops it.
    @Test func aPlainRenameFailsOnATriggerNamingTheDroppedTable() throws {
        let queue = try DatabaseQueue()
        try queue.writeWithoutTransaction { db in
            for sql in Self.schema { try db.execute(sql: sql) }
            try db.execute(sql: "PRAGMA foreign_keys = OFF")
            #expect(try Int.fetchOne(db, sql: "PRAGMA legacy_alter_table") == 0)
            try db.execute(sql: "BEGIN")
            try db.execute(sql: Self.newDefinition.replacingOccurrences(of: "CREATE TABLE sites", with: "CREATE TABLE sites_new"))
            try db.execute(sql: "INSERT INTO sites_new SELECT * FROM sites")
            try db.execute(sql: "DROP TABLE sites")
            #expect(throws: DatabaseError.self) { try db.execute(sql: "ALTER TABLE sites_new RENAME TO sites") }
            try db.execute(sql: "ROLLBACK")
        }
    }

    /// Foreign keys on: refused before anything is dropped (DROP TABLE would delete child rows).
    @Test func refusedWithForeignKeysOn() throws {
        let queue = try DatabaseQueue()
        try queue.writeWithoutTransaction { db in
            for sql in Self.schema { try db.execute(sql: sql) }
            try db.execute(sql: "PRAGMA foreign_keys = ON")
            #expect(throws: DatabaseError.self) { try TableRebuild(table: "sites", definition: Self.newDefinition).run(db) }
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM names") == 2)
        }
    }
}
