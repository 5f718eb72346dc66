import Foundation
import GRDB
import TestSupport
import Testing
@testable import Store

/// The unique indexes a large batch sets aside are made again with `CREATE UNIQUE INDEX` in
/// the batch's transaction (`UniqueIndexes`): they must be the indexes SQLite builds for a
/// table written by single inserts — the same entries, the same schema rows, passing
/// `integrity_check` — whatever the ids look like, and no code of the store may edit
/// SQLite's schema table by hand.
@Suite struct UniqueIndexTests {
    /// Sites stored by single inserts and by batches, each with a dataset and source key.
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

    /// The schema rows of the indexes of `sites`.
    static func indexRows(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            SELECT name || ':' || coalesce(sql, '') FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'sites' ORDER BY name
            """)
    }

    @Test func madeAgainAfterABatchTheyAreTheIndexesSQLiteBuilds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir, "batch.gpkg")
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
        // The oracle: the same rows, each index dropped and made by SQL outside any batch.
        let copy = dir.path("sql.gpkg")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let sqlQueue = try DatabaseQueue(path: copy, configuration: SiteStore.configuration())
        try sqlQueue.write { db in
            for index in StoreSchema.uniqueIndexes {
                try db.execute(sql: "DROP INDEX \(index.name)")
                try db.execute(sql: StoreSchema.createUniqueIndex(index))
            }
        }
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let byBatch = try queue.read(Self.indexEntries)
        #expect(byBatch.count == 2 * 2_850)
        #expect(byBatch == (try sqlQueue.read(Self.indexEntries)))
        #expect(try queue.read(Self.indexRows) == (try sqlQueue.read(Self.indexRows)))
        #expect(try queue.read(Self.indexRows).contains("sites_uuid:" + StoreSchema.createUniqueIndex(StoreSchema.uuidIndex)))
        let found = try queue.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM sites s
                WHERE (SELECT fid FROM sites INDEXED BY sites_uuid WHERE uuid = s.uuid) = s.fid
                  AND (SELECT fid FROM sites INDEXED BY sites_dataset_source_key
                       WHERE dataset = s.dataset AND source_key = s.source_key) = s.fid
                """)
        }
        #expect(found == 2_850)
        try queue.close()
        try sqlQueue.close()
        // Their rules hold: the same id, or the same source key, again is refused.
        let store = try SiteStore(path: path)
        var again = try BatchIndexTests.sites(1, seed: 45)[0]
        let firstID = byBatch.first?.split(separator: " ").first.map(String.init) ?? ""
        again.id = try #require(UUID(uuidString: firstID))
        #expect(throws: StoreError.self) { try store.insert(again) }
        again.id = UUID()
        (again.dataset, again.sourceKey) = ("e\u{301}", "record-1001-of-a-long-export")
        #expect(throws: StoreError.self) { try store.insert(again) }
        again.dataset = "\u{E9}"   // the other spelling: another dataset to SQLite
        try store.insert(again)
        try store.close()
        #expect(try Oracle.validate(path) == "")
    }

    /// Ids another tool stored (lower case, not UUIDs at all) and sites without a source key
    /// are indexed like any other by a batch as large as the store.
    @Test func anyStoredIdsAreIndexedAgain() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir, "other.gpkg")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let (lowered, plain) = try queue.write { db -> (String, String) in
            try db.execute(sql: "UPDATE sites SET uuid = lower(uuid) WHERE fid = 77")
            try db.execute(sql: "UPDATE sites SET uuid = 'site-from-qgis' WHERE fid = 78")
            try db.execute(sql: "UPDATE sites SET source_key = NULL WHERE fid = 8")
            return (try String.fetchOne(db, sql: "SELECT uuid FROM sites WHERE fid = 77") ?? "",
                    try String.fetchOne(db, sql: "SELECT uuid FROM sites WHERE fid = 78") ?? "")
        }
        try queue.close()
        let store = try SiteStore(path: path)
        try store.insertBatch(try BatchIndexTests.sites(3_000, seed: 46))
        #expect(try store.site(id: try #require(UUID(uuidString: lowered))) != nil)
        #expect(try store.siteCount() == 5_850)
        try store.close()
        let entries = try DatabaseQueue(path: path).read(Self.indexEntries)
        #expect(entries.contains("site-from-qgis 78") && plain == "site-from-qgis")
        #expect(try BatchIndexTests.integrityCheck(path) == "ok")
    }

    /// No source file of the package edits SQLite's schema table or turns on
    /// `writable_schema` (SQLite documents that misuse of it corrupts a database): indexes and
    /// schema changes go through SQL statements SQLite checks.
    @Test func noSourceEditsTheSchemaTable() throws {
        let sources = try PackageRoot.url().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var swiftFiles = 0
        var offending: [String] = []
        for case let url as URL in files where url.pathExtension == "swift" {
            swiftFiles += 1
            let text = try String(contentsOf: url, encoding: .utf8).lowercased()
            for forbidden in ["writable_schema", "sqlite_schema set", "sqlite_master set"] where text.contains(forbidden) {
                offending.append("\(url.lastPathComponent): \(forbidden)")
            }
        }
        #expect(swiftFiles > 50)
        #expect(offending == [])
    }
}
