import Export
import Foundation
import Geometry
import Testing

/// A site drawn across the antimeridian is tiled where it lies: in the tiles either side of
/// the line, not in every tile of its latitude band (a plot 0.1° wide took 16,384 tiles at
/// zoom 14, drawn as a band round the world).
@Suite struct AntimeridianTileTests {
    /// Column of tile at zoom `z` holding longitude `lon`.
    static func column(_ lon: Double, _ z: Int) -> Int {
        Int(((lon + 180) / 360 * Double(1 << z)).rounded(.down))
    }

    @Test func aPlotAcrossTheAntimeridianIsTiledEitherSideOfItOnly() throws {
        let plot = Geometry.polygon(try Polygon(rings: [[
            Position(x: 179.95, y: -17.1), Position(x: -179.95, y: -17.1), Position(x: -179.95, y: -17.0),
            Position(x: 179.95, y: -17.0), Position(x: 179.95, y: -17.1),
        ]]))
        // Its twin, drawn 10° west of the line, for the tile count a plot of that size takes.
        let twin = Geometry.polygon(try Polygon(rings: [[
            Position(x: 169.95, y: -17.1), Position(x: 170.05, y: -17.1), Position(x: 170.05, y: -17.0),
            Position(x: 169.95, y: -17.0), Position(x: 169.95, y: -17.1),
        ]]))
        func tiles(_ geometry: Geometry) throws -> [TileCoordinate: [UInt8]] {
            let sink = GeneralisedCellTileTests.Collected()
            let feature = ExportFeature(siteID: "plot", geometry: geometry, properties: [("id", .string("plot"))])
            _ = try VectorTiler(options: TileOptions(minZoom: 0, maxZoom: 12)).run([feature], into: sink)
            return sink.tiles
        }
        let across = try tiles(plot), alone = try tiles(twin)
        for z in 0...12 {
            let columns = Set(across.keys.filter { $0.z == z }.map(\.x))
            // The tiles of the plot's two halves: the last column's and the first's (one at zoom 0).
            let expected = Set([Self.column(179.97, z), Self.column(-179.97, z)])
            #expect(columns == expected, "zoom \(z): columns \(columns.sorted())")
            for tile in across.keys where tile.z == z {
                #expect(across[tile].map { !$0.isEmpty } == true, "zoom \(z): an empty tile")
            }
        }
        // No more tiles than twice what the same plot away from the line takes.
        #expect(across.count <= 2 * alone.count, "\(across.count) tiles across the line, \(alone.count) away from it")
    }

    /// The server's cuts (from the features, or below its summary zoom from the summary) give
    /// the export's bytes for every tile of the plot across the line and of points either side
    /// of it; and the plot is counted once in the clusters of the low zooms.
    @Test func theServersCutsOfAPlotAcrossTheAntimeridianAreTheExportsBytes() throws {
        let plot = Geometry.polygon(try Polygon(rings: [[
            Position(x: 179.95, y: -17.1), Position(x: -179.95, y: -17.1), Position(x: -179.95, y: -17.0),
            Position(x: 179.95, y: -17.0), Position(x: 179.95, y: -17.1),
        ]]))
        var features = [ExportFeature(siteID: "plot", geometry: plot, properties: [("id", .string("plot"))])]
        for (i, x) in [179.9, 179.99, -179.98, -179.9].enumerated() {
            features.append(ExportFeature(siteID: "p\(i)", geometry: .point(try Point(x: x, y: -17.05)), properties: [("id", .string("p\(i)"))]))
        }
        let options = TileOptions(minZoom: 0, maxZoom: 12)
        let sink = GeneralisedCellTileTests.Collected()
        _ = try VectorTiler(options: options).run(features, into: sink)
        let cutter = try TileOnDemand(options: options)
        var builder = ClusterSummary.Builder(options: options, topZoom: 8)
        for (i, f) in features.enumerated() { try builder.add(f, site: Int64(i)) }
        let summary = try builder.finish()
        #expect(sink.tiles.count > 20 && sink.tiles.count < 60, "\(sink.tiles.count) tiles")
        for (tile, bytes) in sink.tiles {
            if tile.z >= 8 {
                #expect(try cutter.tile(tile, features: features) == bytes, "\(tile) from the features")
            } else {
                let shapes = summary.shapes(in: tile).map { features[Int($0)] }
                let cut = try cutter.tile(tile, features: shapes, cells: summary.cells(in: tile)) { features[Int($0)] }
                #expect(cut == bytes, "\(tile) from the summary")
            }
        }
        // At zoom 0 every site is in the one tile: the four points clustered, and the plot (wider
        // than a tile unit there) a shape, once, although both its parts touch the tile.
        let world = TileCoordinate(z: 0, x: 0, y: 0)
        let counts = try summary.cells(in: world).reduce(0) { $0 + $1.count }
        #expect(counts == 4 && summary.shapes(in: world) == [0], "\(counts) points, shapes \(summary.shapes(in: world))")
    }
}

