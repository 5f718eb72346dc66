import Export
import Foundation
import Geometry
import TestSupport
import Testing

/// The low zooms' summary, sorted on disk, gives the export's tiles: thousands of graves in a
/// few cemeteries, sparse sites between them and lines across them, every low-zoom tile cut
/// from the summary is the bytes `VectorTiler` writes for it, whether the summary's cells were
/// sorted in one chunk or through hundreds of runs.
@Suite struct ClusterSummaryTests {
    static func features() throws -> [ExportFeature] {
        var rng = SplitMix64(seed: 1988)
        let conditions = ["intact", "damaged", "destroyed", "built_over"]
        var out: [ExportFeature] = []
        func add(_ geometry: Geometry, _ i: Int) {
            var properties: [(String, PropertyValue)] = [("id", .string("s\(i)"))]
            // Some cemeteries agree on a condition, some do not; some sites have none.
            if i % 11 != 0 { properties.append(("condition", .string(conditions[(i / 500 + (i % 13 == 0 ? 1 : 0)) % conditions.count]))) }
            out.append(ExportFeature(siteID: "s\(i)", geometry: geometry, properties: properties))
        }
        let cemeteries = [Position(x: 51.33, y: 35.61), Position(x: -3.70, y: 40.41), Position(x: -99.13, y: 19.43),
                          Position(x: 104.92, y: 11.55), Position(x: 18.41, y: 43.86)]
        for i in 0 ..< 4_000 {
            let c = cemeteries[i % cemeteries.count]
            add(.point(try Point(x: c.x + Double.random(in: -0.01 ... 0.01, using: &rng),
                                 y: c.y + Double.random(in: -0.01 ... 0.01, using: &rng))), i)
        }
        for i in 4_000 ..< 5_000 {
            add(.point(try Point(x: Double.random(in: -170 ... 170, using: &rng), y: Double.random(in: -60 ... 70, using: &rng))), i)
        }
        for i in 5_000 ..< 5_040 {
            let x = Double.random(in: -100 ... 100, using: &rng), y = Double.random(in: -50 ... 50, using: &rng)
            add(.lineString(try LineString([Position(x: x, y: y), Position(x: x + 0.5, y: y + 0.3)])), i)
        }
        return out
    }

    @Test(arguments: [3, 1 << 13]) func theSummarysTilesAreTheExportsBytes(chunkSize: Int) throws {
        let features = try Self.features()
        let options = TileOptions(minZoom: 0, maxZoom: 10)
        let sink = GeneralisedCellTileTests.Collected()
        _ = try VectorTiler(options: options).run(features, into: sink)
        let cutter = try TileOnDemand(options: options)
        var builder = ClusterSummary.Builder(options: options, topZoom: 9, chunkSize: chunkSize)
        for (i, f) in features.enumerated() { try builder.add(f, site: Int64(i)) }
        let summary = try builder.finish()
        #expect(summary.siteCount == features.count)
        var low = 0
        for (tile, bytes) in sink.tiles where tile.z < 9 {
            low += 1
            let shapes = summary.shapes(in: tile).map { features[Int($0)] }
            let cut = try cutter.tile(tile, features: shapes, cells: summary.cells(in: tile)) { features[Int($0)] }
            #expect(cut == bytes, "\(tile) from the summary")
        }
        #expect(low > 500, "\(low) low-zoom tiles")
        // Every point is in zoom 0's one tile, once.
        let world = try summary.cells(in: TileCoordinate(z: 0, x: 0, y: 0))
        #expect(world.reduce(0) { $0 + $1.count } == 5_000)
    }
}
