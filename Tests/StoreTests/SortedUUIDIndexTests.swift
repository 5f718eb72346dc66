import Foundation
import GRDB
import TestSupport
import Testing
@testable import Store

/// The uuid index a large batch builds from ids it sorts itself (`SortedUUIDIndex`) must be
/// the index SQLite builds: the same entries in the same order, passing `integrity_check`,
/// answering lookups — and it must step aside for ids it cannot order as SQLite does.
@Suite struct SortedUUIDIndexTests {
    /// The key order is the byte order of the ids' text (SQLite's BINARY order for them).
    @Test func keyOrderIsTheOrderOfTheText() {
        var rng = SplitMix64(seed: 41)
        // Random ids, and ids that differ only where a digit meets a letter (9 against A).
        var ids = (0..<5_000).map { _ in UUID(high: rng.next(), low: rng.next()) }
        for (high, low) in [(0x9, 0), (0xA, 0), (0x9F, 0), (0xA0, 0), (0, 0x9), (0, 0xA), (UInt64.max, UInt64.max), (0, 0)] {
            ids.append(UUID(high: UInt64(high), low: UInt64(low)))
        }
        let byKey = ids.enumerated().map { SortedUUIDIndex.Key($0.element, fid: Int64($0.offset)) }.sorted().map(\.fid)
        let byText = ids.enumerated().sorted { Array($0.element.uuidString.utf8).lexicographicallyPrecedes($1.element.uuidString.utf8) }
            .map { Int64($0.offset) }
        #expect(byKey == byText)
        for id in ids {
            var text = id.uuidString
            let parsed = text.withUTF8 { SortedUUIDIndex.Key(text: UnsafeRawBufferPointer($0), fid: 7) }
            #expect(parsed == SortedUUIDIndex.Key(id, fid: 7))
            #expect(UUID(high: SortedUUIDIndex.Key(id, fid: 0).high, low: SortedUUIDIndex.Key(id, fid: 0).low) == id)
        }
        // Text that is not an upper-case UUID has no key: it sorts differently.
        let id = UUID(high: 0xABCD_EF01_2345_6789, low: 0x0123_4567_89AB_CDEF).uuidString
        for other in [id.lowercased(), String(id.dropLast()), id.replacingOccurrences(of: "-", with: ":"),
                      String(id.dropLast()) + "G", id + "0", "", "{\(id)}"] {
            var text = other
            #expect(text.withUTF8 { SortedUUIDIndex.Key(text: UnsafeRawBufferPointer($0), fid: 1) } == nil, "\(other)")
        }
    }

    /// Sites stored by single inserts and by batches, then the index dropped and built again
    /// both ways on copies of the same file.
    static func store(_ dir: TemporaryDirectory, _ name: String) throws -> String {
        let path = dir.path(name)
        let store = try SiteStore.create(at: path)
        for site in try BatchIndexTests.sites(150, seed: 42) { try store.insert(site) }
        try store.insertBatch(try BatchIndexTests.sites(700, seed: 43))     // keeps the indexes
        try store.insertBatch(try BatchIndexTests.sites(2_000, seed: 44))   // sets them aside
        try store.close()
        return path
    }

    static func indexEntries(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT uuid || ' ' || fid FROM sites INDEXED BY sites_uuid WHERE uuid >= '' ORDER BY uuid")
    }

    @Test func builtFromSortedIDsItIsTheIndexSQLiteBuilds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir, "sorted.gpkg")
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
        let copy = dir.path("sql.gpkg")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let built = try queue.write { db -> Bool in
            try db.execute(sql: "DROP INDEX sites_uuid")
            var keys: [SortedUUIDIndex.Key] = []
            let last = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? 0
            return try SortedUUIDIndex.build(db, written: &keys, storedThrough: last)
        }
        #expect(built)
        let byIndex = try queue.read(Self.indexEntries)
        let sqlQueue = try DatabaseQueue(path: copy, configuration: SiteStore.configuration())
        try sqlQueue.write { db in
            try db.execute(sql: "DROP INDEX sites_uuid")
            try db.execute(sql: StoreSchema.createUniqueIndex(StoreSchema.uuidIndex))
        }
        #expect(byIndex.count == 2_850)
        #expect(byIndex == (try sqlQueue.read(Self.indexEntries)))
        // The schema names the index as SQL would, the table written is gone, and every site
        // is found through the index at its own row.
        let (definition, leftover, found) = try queue.read { db in
            (try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'sites_uuid'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE name = ?", arguments: [SortedUUIDIndex.table]),
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sites s WHERE (SELECT fid FROM sites INDEXED BY sites_uuid WHERE uuid = s.uuid) = s.fid
                """))
        }
        #expect(definition == StoreSchema.createUniqueIndex(StoreSchema.uuidIndex))
        #expect(leftover == 0)
        #expect(found == 2_850)
        try queue.close()
        try sqlQueue.close()
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
        // Its rule holds: the same id again is refused, through the store.
        let store = try SiteStore(path: path)
        var again = try BatchIndexTests.sites(1, seed: 45)[0]
        let firstID = byIndex.first?.split(separator: " ").first.map(String.init) ?? ""
        again.id = try #require(UUID(uuidString: firstID))
        #expect(throws: StoreError.self) { try store.insert(again) }
        try store.close()
    }

    /// An id stored in lower case (another tool's) or repeated: nothing is written and the
    /// caller builds the index with SQL, so a batch still succeeds (or names the repeat).
    @Test func otherIdsLeaveTheIndexToSQL() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir, "lower.gpkg")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let lowered = try queue.write { db -> String in
            try db.execute(sql: "UPDATE sites SET uuid = lower(uuid) WHERE fid = 77")
            return try String.fetchOne(db, sql: "SELECT uuid FROM sites WHERE fid = 77") ?? ""
        }
        for repeatID in [false, true] {
            let outcome = try queue.write { db -> (Bool, Int) in
                if repeatID { try db.execute(sql: "UPDATE sites SET uuid = upper(uuid) WHERE fid = 77") }
                try db.execute(sql: "DROP INDEX sites_uuid")
                var keys: [SortedUUIDIndex.Key] = []
                let stored = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? 0
                if repeatID {
                    // The batch reports an id already stored.
                    let text = try String.fetchOne(db, sql: "SELECT uuid FROM sites WHERE fid = 5") ?? ""
                    let id = try #require(UUID(uuidString: text))
                    keys = [SortedUUIDIndex.Key(id, fid: stored + 1)]
                }
                let built = try SortedUUIDIndex.build(db, written: &keys, storedThrough: stored)
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE name IN (?, 'sites_uuid')",
                                              arguments: [SortedUUIDIndex.table]) ?? -1
                return (built, tables)
            }
            #expect(outcome == (false, 0), "repeated id: \(repeatID)")
            try queue.write { db in
                try db.execute(sql: StoreSchema.createUniqueIndex(StoreSchema.uuidIndex))
                try db.execute(sql: "UPDATE sites SET uuid = lower(uuid) WHERE fid = 77")
            }
        }
        try queue.close()
        // A batch as large as the store builds the index with SQL and keeps the lower-case id.
        let store = try SiteStore(path: path)
        try store.insertBatch(try BatchIndexTests.sites(3_000, seed: 46))
        let loweredID = try #require(UUID(uuidString: lowered))
        #expect(try store.site(id: loweredID) != nil)
        #expect(try store.siteCount() == 5_850)
        try store.close()
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
    }
}
