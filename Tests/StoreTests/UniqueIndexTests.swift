import Foundation
import GRDB
import TestSupport
import Testing
@testable import Store

/// The unique indexes a large batch builds from keys it sorts itself (`SortedUUIDIndex`,
/// `SortedSourceKeyIndex`) must be the indexes SQLite builds: the same entries in the same
/// order, passing `integrity_check`, answering lookups — and they must step aside for keys
/// they cannot hold (ids not in the store's text form, missing source keys) or that repeat.
@Suite struct SortedIndexTests {
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

    /// The source key order is SQLite's order for text (bytes, then length), by dataset
    /// compared as bytes too; a key repeats only if its bytes do.
    @Test func sourceKeyOrderIsSQLitesOrder() {
        var rng = SplitMix64(seed: 47)
        // Two spellings of "é" (one code point; e and a combining accent): equal as Swift
        // Strings, different text to SQLite.
        let datasets = ["survey", "\u{E9}", "e\u{301}", "", "survey-2"]
        let alphabet: [String] = ["a", "b", "0", "9", "\0", "\u{E9}", "\u{5D0}", "\u{627}", "~"]
        var keys = SortedSourceKeyIndex.Keys()
        var expected: [(dataset: [UInt8], key: [UInt8], fid: Int64)] = []
        var seen = Set<[[UInt8]]>()
        for fid in Int64(1)...4_000 {
            let dataset = datasets[Int(rng.next() % UInt64(datasets.count))]
            // Keys sharing long prefixes, so that the first eight bytes often tie.
            let length = Int(rng.next() % 14)
            let key = (fid % 3 == 0 ? "01234567" : "") + (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            guard seen.insert([Array(dataset.utf8), Array(key.utf8)]).inserted else { continue }
            keys.append(dataset: dataset, sourceKey: key, fid: fid)
            expected.append((Array(dataset.utf8), Array(key.utf8), fid))
        }
        #expect(Set(datasets).count < datasets.count)   // the two spellings are one String
        let repeats = keys.sortFindingRepeats()
        #expect(!repeats)
        expected.sort { a, b in
            if a.dataset != b.dataset { return a.dataset.lexicographicallyPrecedes(b.dataset) }
            if a.key != b.key { return a.key.lexicographicallyPrecedes(b.key) }
            return a.fid < b.fid
        }
        #expect(keys.entries.map(\.fid) == expected.map(\.fid))
        // The same bytes again (another fid) repeat.
        var repeated = keys
        repeated.append(dataset: "e\u{301}", sourceKey: "01234567", fid: 9_999)
        repeated.append(dataset: "e\u{301}", sourceKey: "01234567", fid: 10_000)
        let found = repeated.sortFindingRepeats()
        #expect(found)
        // A site without a source key: no keys kept, nothing to build from.
        var incomplete = SortedSourceKeyIndex.Keys()
        incomplete.append(dataset: "survey", sourceKey: "1", fid: 1)
        incomplete.append(dataset: "survey", sourceKey: nil, fid: 2)
        #expect(!incomplete.complete && incomplete.entries.isEmpty)
    }

    /// Sites stored by single inserts and by batches, each with a dataset and source key;
    /// the indexes are then dropped and built again both ways on copies of the file.
    static func store(_ dir: TemporaryDirectory, _ name: String) throws -> String {
        let path = dir.path(name)
        let store = try SiteStore.create(at: path)
        var fid = 0
        func keyed(_ sites: [Site]) -> [Site] {
            sites.map { site in
                fid += 1
                var site = site
                site.dataset = ["survey", "\u{E9}", "e\u{301}"][fid % 3]
                site.sourceKey = fid % 2 == 0 ? String(fid) : "record-\(fid)-of-a-long-export"
                return site
            }
        }
        for site in keyed(try BatchIndexTests.sites(150, seed: 42)) { try store.insert(site) }
        try store.insertBatch(keyed(try BatchIndexTests.sites(700, seed: 43)))     // keeps the indexes
        try store.insertBatch(keyed(try BatchIndexTests.sites(2_000, seed: 44)))   // sets them aside
        try store.close()
        return path
    }

    /// Every entry of both unique indexes, in index order.
    static func indexEntries(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT uuid || ' ' || fid FROM sites INDEXED BY sites_uuid WHERE uuid >= '' ORDER BY uuid")
            + String.fetchAll(db, sql: """
                SELECT hex(dataset) || ' ' || hex(source_key) || ' ' || fid FROM sites INDEXED BY sites_dataset_source_key
                WHERE dataset >= '' ORDER BY dataset, source_key
                """)
    }

    @Test func builtFromSortedKeysTheyAreTheIndexesSQLiteBuilds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir, "sorted.gpkg")
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
        let copy = dir.path("sql.gpkg")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let built = try queue.write { db -> [Bool] in
            try db.execute(sql: "DROP INDEX sites_uuid; DROP INDEX sites_dataset_source_key")
            var ids: [SortedUUIDIndex.Key] = []
            var sourceKeys = SortedSourceKeyIndex.Keys()
            let last = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? 0
            return [try SortedUUIDIndex.build(db, written: &ids, storedThrough: last),
                    try SortedSourceKeyIndex.build(db, written: &sourceKeys, storedThrough: last)]
        }
        #expect(built == [true, true])
        let byIndex = try queue.read(Self.indexEntries)
        let sqlQueue = try DatabaseQueue(path: copy, configuration: SiteStore.configuration())
        try sqlQueue.write { db in
            for index in StoreSchema.uniqueIndexes {
                try db.execute(sql: "DROP INDEX \(index.name)")
                try db.execute(sql: StoreSchema.createUniqueIndex(index))
            }
        }
        #expect(byIndex.count == 2 * 2_850)
        #expect(byIndex == (try sqlQueue.read(Self.indexEntries)))
        #expect(try BatchIndexTests.indexNames(path) == BatchIndexTests.indexNames(copy))
        // The schema names the index as SQL would, the table written is gone, and every site
        // is found through the index at its own row.
        let (leftover, found) = try queue.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE name IN (?, ?)",
                              arguments: [SortedUUIDIndex.table.name, SortedSourceKeyIndex.table.name]),
             try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sites s
                WHERE (SELECT fid FROM sites INDEXED BY sites_uuid WHERE uuid = s.uuid) = s.fid
                  AND (SELECT fid FROM sites INDEXED BY sites_dataset_source_key
                       WHERE dataset = s.dataset AND source_key = s.source_key) = s.fid
                """))
        }
        #expect(leftover == 0)
        #expect(found == 2_850)
        try queue.close()
        try sqlQueue.close()
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
        // Their rules hold: the same id, or the same source key, again is refused.
        let store = try SiteStore(path: path)
        var again = try BatchIndexTests.sites(1, seed: 45)[0]
        let firstID = byIndex.first?.split(separator: " ").first.map(String.init) ?? ""
        again.id = try #require(UUID(uuidString: firstID))
        #expect(throws: StoreError.self) { try store.insert(again) }
        again.id = UUID()
        (again.dataset, again.sourceKey) = ("e\u{301}", "record-1001-of-a-long-export")
        #expect(throws: StoreError.self) { try store.insert(again) }
        again.dataset = "\u{E9}"   // the other spelling: another dataset to SQLite
        try store.insert(again)
        try store.close()
    }

    /// An id stored in lower case (another tool's) or repeated, a site without a source key,
    /// a source key repeated: nothing is written and the caller builds the index with SQL,
    /// so a batch still succeeds (or names the repeat).
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
                                              arguments: [SortedUUIDIndex.table.name]) ?? -1
                return (built, tables)
            }
            #expect(outcome == (false, 0), "repeated id: \(repeatID)")
            let sourceKeys = try queue.write { db -> (Bool, Int) in
                try db.execute(sql: "DROP INDEX sites_dataset_source_key")
                if repeatID {
                    try db.execute(sql: "UPDATE sites SET (dataset, source_key) = (SELECT dataset, source_key FROM sites WHERE fid = 9) WHERE fid = 8")
                } else {
                    try db.execute(sql: "UPDATE sites SET source_key = NULL WHERE fid = 8")
                }
                var keys = SortedSourceKeyIndex.Keys()
                let stored = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? 0
                let built = try SortedSourceKeyIndex.build(db, written: &keys, storedThrough: stored)
                let tables = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_schema WHERE name IN (?, 'sites_dataset_source_key')",
                                              arguments: [SortedSourceKeyIndex.table.name]) ?? -1
                return (built, tables)
            }
            #expect(sourceKeys == (false, 0), "repeated source key: \(repeatID)")
            try queue.write { db in
                try db.execute(sql: "UPDATE sites SET source_key = 'mended' WHERE fid = 8")
                for index in StoreSchema.uniqueIndexes { try db.execute(sql: StoreSchema.createUniqueIndex(index)) }
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
