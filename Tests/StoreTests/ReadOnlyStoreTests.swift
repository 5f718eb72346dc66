import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// A store opened read-only writes nothing: every query leaves the file's bytes as they were,
/// writes are refused by name, an older schema is refused rather than migrated, and a reader
/// never waits on a writer's open transaction.
@Suite struct ReadOnlyStoreTests {
    static func digest(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// A closed store of a few sites, one of them restricted.
    static func store(_ dir: TemporaryDirectory) throws -> String {
        let path = dir.path("atlas.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insert(try SiteFixtures.point(51.39, 35.69, name: "Khavaran"))
        try store.insert(try SiteFixtures.square(51.40, 35.70, half: 0.001, name: "Trench"))
        var restricted = try SiteFixtures.point(51.41, 35.71, name: "Protected")
        restricted.sensitivity = .restricted
        try store.insert(restricted)
        try store.close()
        return path
    }

    @Test func queriesLeaveTheFileAsItWasAndWritesAreRefused() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir)
        let before = try Self.digest(path)
        let modified = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date

        let store = try SiteStore(path: path, access: .readOnly)
        #expect(store.access == .readOnly)
        let near = try store.near(Position(x: 51.39, y: 35.69), radius: 5_000, audience: .everything)
        #expect(near.count == 3)
        #expect(try store.nearest(Position(x: 51.39, y: 35.69), k: 1).first?.site.name == "Khavaran")
        #expect(try store.search("khavaran").count == 1)
        #expect(try store.statistics().sites == 3)
        var listed = 0
        try store.forEachSite { _ in listed += 1 }
        #expect(listed == 3)
        #expect(throws: StoreError.readOnly(path: path)) { try store.insert(try SiteFixtures.point(0, 0)) }
        #expect(throws: StoreError.readOnly(path: path)) {
            _ = try store.importBatch(label: "x") { batch in try batch.upsert(try SiteFixtures.point(1, 1)) }
        }
        try store.close()

        #expect(try Self.digest(path) == before)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date == modified)
        // Nothing was left in a log for the file to take in later.
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
        #expect(wal == 0)
    }

    /// A version 1 store: read-only opening refuses it, naming the versions and the command
    /// that upgrades it, and leaves it untouched; opening it for writing migrates it as before.
    /// A store opened with its own read cache (the server's) gives each reader that page cache;
    /// a full scan holds it to the scan's size and gives it back.
    @Test func readersTakeTheCacheTheStoreWasOpenedWith() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir)
        for (given, expected) in [(Int?.none, ConnectionSettings.readCacheKiB), (8_192, 8_192)] {
            let store = try SiteStore(path: path, access: .readOnly, readCacheKiB: given)
            defer { try? store.close() }
            #expect(try store.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -expected)
            let during = try store.snapshot { snap in
                var seen: Int?
                try snap.forEachSiteWithoutNames { _, _ in
                    if seen == nil { seen = try Int.fetchOne(snap.db, sql: "PRAGMA cache_size") }
                }
                return seen
            }
            #expect(during == -ConnectionSettings.scanCacheKiB)
            #expect(try store.read { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") } == -expected)
        }
    }

    @Test func anOlderSchemaIsRefusedNotMigrated() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("old.gpkg")
        try SchemaMigrationTests.versionOneStore(path)
        let before = try Self.digest(path)
        do {
            _ = try SiteStore(path: path, access: .readOnly)
            Issue.record("an older store opened read-only")
        } catch let error as StoreError {
            #expect(error == .olderSchema(path: path, found: 1, current: StoreSchema.version))
            #expect(error.description.contains("graveatlas upgrade"))
        }
        #expect(try Self.digest(path) == before)
        let upgraded = try SiteStore(path: path)
        try upgraded.close()
        let reopened = try SiteStore(path: path, access: .readOnly)
        #expect(try reopened.siteCount() == 1)
        try reopened.close()
    }

    /// A write transaction held open (as an import holds it for its whole length): a
    /// read-only store opens, answers from the last commit and closes without waiting for it.
    /// The write ends only after the reads, so a read that waited on it would fail with
    /// "database is locked" when the busy timeout ran out (as closing did, with a checkpoint,
    /// when every command opened the store for writing).
    @Test func readersNeverWaitOnAnOpenWrite() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try Self.store(dir)
        let writer = try SiteStore(path: path)
        let started = DispatchSemaphore(value: 0), finish = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        let write = Thread {
            _ = try? writer.importBatch(label: "held open") { batch -> Int in
                _ = try batch.upsert(try SiteFixtures.point(51.42, 35.72, name: "Uncommitted"))
                started.signal()
                finish.wait()
                return 0
            }
            done.signal()
        }
        write.start()
        started.wait()
        defer {
            finish.signal()
            done.wait()
            try? writer.close()
        }
        for _ in 0..<3 {
            let reader = try SiteStore(path: path, access: .readOnly)
            let names = try reader.near(Position(x: 51.39, y: 35.69), radius: 10_000, audience: .everything).map(\.site.name)
            #expect(!names.contains("Uncommitted"))
            #expect(names.count == 3)
            try reader.close()
        }
    }
}
