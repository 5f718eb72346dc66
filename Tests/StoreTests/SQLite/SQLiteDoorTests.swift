import Foundation
import GRDB
import TestSupport
import Testing
@testable import Store

/// The store's door to SQLite's C API (`Sources/Store/SQLite`): nothing else calls it, and
/// the public surface other modules use (`ReadDeadline`, `SQLiteFailure`) answers as its
/// callers rely on, on real SQLite connections.
@Suite struct SQLiteDoorTests {
    /// Every `sqlite3_` call (and mention) in Sources is in Store/SQLite or the
    /// CSQLiteConfig shim: Import, Export and the rest of the store reach SQLite through GRDB
    /// or the door's types.
    @Test func onlyTheDoorCallsSQLitesCAPI() throws {
        let sources = try PackageRoot.url().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var inside = 0
        var outside: [String] = []
        for case let url as URL in files where ["swift", "h"].contains(url.pathExtension) {
            guard try String(contentsOf: url, encoding: .utf8).contains("sqlite3_") else { continue }
            let path = url.path.replacingOccurrences(of: sources.path + "/", with: "")
            if path.hasPrefix("Store/SQLite/") || path.hasPrefix("CSQLiteConfig/") { inside += 1 } else { outside.append(path) }
        }
        #expect(inside >= 3)   // RawStatement, GeoPackageFunctions, WALCheckpoints at least
        #expect(outside == [])
    }

    /// A read that never ends (a recursive query, as a hostile view can be) is stopped at
    /// its limit and reported as `Exceeded`; the connection stays usable.
    @Test func aReadPastItsDeadlineIsStopped() throws {
        let queue = try DatabaseQueue()
        let deadline = ReadDeadline(seconds: 0.2)
        let endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
        #expect(throws: ReadDeadline.Exceeded(seconds: 0.2)) {
            try deadline.read(queue) { db in try Int.fetchOne(db, sql: endless) }
        }
        let finite = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) SELECT count(*) FROM n"
        #expect(try deadline.read(queue) { db in try Int.fetchOne(db, sql: finite) } == 1000)
    }

    /// An error the read's body throws is passed on as it is, not taken for a timeout.
    @Test func anErrorInsideTheReadIsPassedOn() throws {
        let queue = try DatabaseQueue()
        #expect(throws: DatabaseError.self) {
            try ReadDeadline(seconds: 10).read(queue) { db in try Int.fetchOne(db, sql: "SELECT * FROM no_such_table") }
        }
    }

    /// A full disk is known from GRDB's error code and from the text a store error keeps;
    /// other SQLite failures keep SQLite's words; other errors are not SQLite's.
    @Test func failuresAreReadAsTheirCallersActOnThem() throws {
        #expect(SQLiteFailure(DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full")) == .diskFull)
        let full = try sqliteMessage(of: .SQLITE_FULL)
        #expect(SQLiteFailure(StoreError.database(path: "a.gpkg", message: full, sql: nil)) == .diskFull)
        #expect(SQLiteFailure(DatabaseError(resultCode: .SQLITE_CONSTRAINT, message: "UNIQUE constraint failed"))
            == .other(message: "UNIQUE constraint failed"))
        #expect(SQLiteFailure(StoreError.database(path: "a.gpkg", message: "no such table: x", sql: "SELECT"))
            == .other(message: "no such table: x"))
        #expect(SQLiteFailure(StoreError.notFound(path: "a.gpkg")) == nil)
        #expect(SQLiteFailure(CocoaError(.fileNoSuchFile)) == nil)
    }

    /// SQLite's own text for `code`, as a store error would keep it (asked of SQLite, not typed in).
    private func sqliteMessage(of code: ResultCode) throws -> String {
        try #require(DatabaseError(resultCode: code).message)
    }
}
