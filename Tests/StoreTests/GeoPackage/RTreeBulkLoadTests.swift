import Foundation
import GRDB
import Geometry
import TestSupport
import Testing
@testable import Store

/// The R*Tree that `RTreeBulkLoad` writes into the shadow tables, at sizes around its node
/// capacity (51 cells with 4 KiB pages): SQLite's `integrity_check`, the R*Tree module's own
/// `rtreecheck()` and GDAL's `validate_gpkg.py` all pass, and box queries through the
/// module find exactly the sites a scan of every box finds.
///
/// The million-site load takes minutes in a debug build: it runs with
/// `GRAVEATLAS_LARGE_TESTS=1` in the environment.
@Suite struct RTreeBulkLoadTests {
    static let largeSizes = ProcessInfo.processInfo.environment["GRAVEATLAS_LARGE_TESTS"] == "1" ? [1_000_000] : []

    /// A box as the R*Tree holds it (floats, rounded outwards), with its fid.
    struct Stored {
        let fid: Int64
        let minX, maxX, minY, maxY: Double
    }

    @Test(arguments: [0, 1, 51, 52, 20_000] + largeSizes)
    func bulkLoadedTreePassesEveryCheckAndAnswersAsABruteForceScan(count: Int) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("rtree-\(count).gpkg")
        let store = try SiteStore.create(at: path)
        try store.insertBatch(try BatchIndexTests.sites(count, seed: UInt64(count) + 7))
        try store.close()

        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        // The batch loaded the tree (a new table); load it again from the table alone.
        let indexed = try queue.write { db in try RTreeBulkLoad(index: DeferredIndexes.spatial).run(db) }
        #expect(indexed == count)
        try queue.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('rtree_sites_geom')") == "ok")
            let sizes = try Int.fetchAll(db, sql: "SELECT DISTINCT length(data) FROM rtree_sites_geom_node")
            #expect(sizes == [1_228])
            let depth = try String.fetchOne(db, sql: "SELECT hex(substr(data, 1, 2)) FROM rtree_sites_geom_node WHERE nodeno = 1")
                .flatMap { Int($0, radix: 16) }
            let expectedDepth = count <= 51 ? 0 : Int((log(Double(count)) / log(51)).rounded(.up)) - 1
            #expect(depth == expectedDepth || depth == expectedDepth + 1, "depth \(depth ?? -1) for \(count)")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM rtree_sites_geom_rowid") == count)

            // Brute force: every site's box as the module stores it (rounded outwards).
            let boxes = try Row.fetchAll(db, sql: """
                SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM sites
                WHERE geom IS NOT NULL AND NOT ST_IsEmpty(geom)
                """).map { row in
                Stored(fid: row[0], minX: Double(RTreeBulkLoad.down(row[1])), maxX: Double(RTreeBulkLoad.up(row[2])),
                       minY: Double(RTreeBulkLoad.down(row[3])), maxY: Double(RTreeBulkLoad.up(row[4])))
            }
            #expect(boxes.count == count)
            var rng = SplitMix64(seed: 99)
            let query = try RawStatement(db, """
                SELECT id FROM rtree_sites_geom WHERE maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ? ORDER BY id
                """)
            var found = 0
            for q in 0..<200 {
                // Small, middling and whole-world windows.
                let size = [0.5, 5, 40, 400][q % 4]
                let x = Double.random(in: -180...180, using: &rng), y = Double.random(in: -90...90, using: &rng)
                let (minX, maxX, minY, maxY) = (x - size / 2, x + size / 2, y - size / 4, y + size / 4)
                let expected = boxes.filter { $0.maxX >= minX && $0.minX <= maxX && $0.maxY >= minY && $0.minY <= maxY }.map(\.fid)
                query.reset()
                query.bind(1, minX); query.bind(2, maxX); query.bind(3, minY); query.bind(4, maxY)
                var ids: [Int64] = []
                while try query.step() { ids.append(query.int64(0)) }
                #expect(ids == expected, "window \(q) of \(count) sites")
                found += ids.count
            }
            if count > 0 { #expect(found > 0) }
        }
        try queue.close()
        #expect(try Oracle.validate(path) == "")
    }
}
