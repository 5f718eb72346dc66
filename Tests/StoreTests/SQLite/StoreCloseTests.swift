import Foundation
import Testing
@testable import Store

@Suite struct StoreCloseTests {
    /// Analysts copy and mail the .gpkg alone: after `close()` nothing may be left only in the -wal.
    @Test func aClosedStoreIsWholeInItsOneFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("s.gpkg"))
        try store.insertBatch((0..<200).map { try SiteFixtures.point(46 + Double($0) / 100, 35) })
        try store.close()
        try FileManager.default.copyItem(atPath: dir.path("s.gpkg"), toPath: dir.path("copy.gpkg"))
        let copy = try SiteStore(path: dir.path("copy.gpkg"))
        #expect(try copy.siteCount() == 200)
        try copy.close()
        let oracle = try Oracle.run("ogrinfo", ["-ro", "-so", dir.path("copy.gpkg"), "sites"])
        #expect(oracle.stdout.contains("Feature Count: 200"))
    }

    static func size(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// A write that leaves more than 1,000 pages in the log is followed by a checkpoint on the
    /// writer's queue (not inside the write): by the next write the rows are in the .gpkg.
    @Test func aLargeWriteIsCheckpointedAfterItReturns() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("s.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insert(try SiteFixtures.point(46, 35))
        let empty = try Self.size(path)
        try store.insertBatch((0..<20_000).map { try SiteFixtures.point(46 + Double($0) / 10_000, 35, name: "site \($0)") })
        try store.insert(try SiteFixtures.point(47, 36))   // queued after the checkpoint
        let filled = try Self.size(path)
        // 20,000 sites take several MB; copied into the file, not only in the -wal.
        #expect(filled > empty + 4_000_000, "\(empty) → \(filled) bytes")
        // A small write leaves the log to the next large one.
        try store.insert(try SiteFixtures.point(48, 36))
        #expect(try Self.size(path) == filled)
        try store.close()
        #expect(try Oracle.validate(path) == "")
        let copy = try SiteStore(path: path)
        #expect(try copy.siteCount() == 20_003)
        try copy.close()
    }
}
