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
}
