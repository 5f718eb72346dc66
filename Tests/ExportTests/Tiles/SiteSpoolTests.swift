@testable import Export
import Foundation
import Geometry
import TestSupport
import Testing

/// Tiles cut from a spool (a compact record a site in memory, the features in a scratch file
/// read back per tile, points summed into cells as a tile's sites are gathered) are the tiles
/// cut from every feature held in memory: each tile of the export equals the tile
/// `TileOnDemand` builds from all the features (single-site cells, nothing read back), at
/// every zoom of clusters, shapes and single sites. The scratch file is gone afterwards,
/// whether the run succeeded or failed.
@Suite struct SiteSpoolTests {
    /// 3,000 sites over zooms 0–14: three cemeteries of hundreds of graves (several conditions,
    /// so some clusters agree and some are mixed), areas from 50 m to 2 km (drawn as points at
    /// low zoom, as shapes higher up), a line, and sparse sites west and east of Greenwich.
    static func features() throws -> [ExportFeature] {
        var out = SyntheticSites.make(count: 1_500, seed: 7)
        var rng = SplitMix64(seed: 2024)
        let centres = [Position(x: 51.3, y: 35.6), Position(x: 51.31, y: 35.61), Position(x: -3.7, y: 40.4)]
        for k in 0..<1_400 {
            let c = centres[k % centres.count]
            let p = Position(x: c.x + Double.random(in: -0.003...0.003, using: &rng), y: c.y + Double.random(in: -0.003...0.003, using: &rng))
            let condition: PropertyValue = k % 7 == 0 ? "exhumed" : (k % 3 == 0 ? "destroyed" : .null)
            out.append(ExportFeature(siteID: "grave-\(k)", geometry: .point(try Point(p)),
                                     properties: [("name", .string("Grave \(k)")), ("condition", condition), ("victims_min", .int(Int64(k)))]))
        }
        for k in 0..<100 {
            let p = Position(x: Double.random(in: -60...60, using: &rng), y: Double.random(in: -50...60, using: &rng))
            out.append(ExportFeature(siteID: "sparse-\(k)", geometry: .point(try Point(p)),
                                     properties: [("name", .string("Sparse \(k)")), ("flag", .bool(k % 2 == 0)), ("score", .double(Double(k) / 3))]))
        }
        let line = try LineString([Position(x: 50.9, y: 35.2), Position(x: 51.5, y: 35.9), Position(x: 52.4, y: 36.1)])
        out.append(ExportFeature(siteID: "trench", geometry: .lineString(line), properties: [("name", "Trench"), ("condition", "destroyed")]))
        return out
    }

    static func tiles(of folder: String) throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        guard let e = FileManager.default.enumerator(atPath: folder) else { return out }
        for case let rel as String in e where rel.hasSuffix(".mvt") {
            out[String(rel.dropLast(4))] = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + rel)))
        }
        return out
    }

    /// `maxTileBytes` small forces clusters to coarsen at low zoom, so summed cells are
    /// coarsened again; the default keeps them at `clusterCell`.
    @Test(arguments: [500_000, 2_000])
    func everyTileIsTheTileOfAllFeaturesHeldInMemory(maxTileBytes: Int) throws {
        let features = try Self.features()
        var options = TileOptions(minZoom: 0, maxZoom: 14)
        options.maxTileBytes = maxTileBytes
        let directory = try temporaryDirectory("spool")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try TileExport.run(features, output: directory + "/tiles", options: options)
        let exported = try Self.tiles(of: directory + "/tiles")
        #expect(Set(exported.keys.compactMap { Int($0.split(separator: "/")[0]) }) == Set(0...14))
        #expect(result.summary.tileCount == exported.count)
        let cutter = try TileOnDemand(options: options)
        var differing: [String] = []
        var clusters = 0
        for (path, bytes) in exported.sorted(by: { $0.key < $1.key }) {
            let p = path.split(separator: "/").compactMap { Int($0) }
            let tile = TileCoordinate(z: p[0], x: p[1], y: p[2])
            let held = try cutter.tile(tile, features: features)
            if held != bytes { differing.append(path) }
            if p[0] < 14, try MVTValidator.decode(bytes).contains(where: { $0.features.contains { $0.properties["cluster"] == "true" } }) {
                clusters += 1
            }
        }
        #expect(differing.isEmpty, "tiles that differ from the tile of all features in memory: \(differing.prefix(10))")
        #expect(clusters > 20, "clusters are drawn at several zooms")
    }

    /// The scratch file lies beside the output while the export runs and is gone after it:
    /// only the tiles, their TileJSON and their style are left.
    @Test func theScratchFileIsGoneAfterASuccess() throws {
        let directory = try temporaryDirectory("spool-ok")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let output = directory + "/sites.pmtiles"
        let spool = try SiteSpool(options: TileOptions(minZoom: 0, maxZoom: 12), scratchBeside: output)
        for f in SyntheticSites.make(count: 300, seed: 3) { try spool.add(f) }
        let during = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(during.contains { $0.hasPrefix(".sites.pmtiles.scratch.partial-") }, "\(during)")
        _ = try TileExport.run(spool, output: output, options: TileOptions(minZoom: 0, maxZoom: 12))
        spool.discard()
        let after = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
        #expect(after == ["sites.pmtiles", "sites.pmtiles.style.json", "sites.pmtiles.tilejson.json"])
    }

    /// A sink that fails half-way: the run throws, and once the spool is dropped (as an export
    /// drops it on an error) nothing is left in the folder.
    @Test func theScratchFileIsGoneAfterAFailure() throws {
        let directory = try temporaryDirectory("spool-fail")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            let spool = try SiteSpool(options: TileOptions(minZoom: 0, maxZoom: 12), scratchBeside: directory + "/sites.pmtiles")
            for f in SyntheticSites.make(count: 300, seed: 3) { try spool.add(f) }
            #expect(throws: FailingSink.Failure.self) {
                _ = try VectorTiler(options: TileOptions(minZoom: 0, maxZoom: 12)).run(spool, into: FailingSink(after: 20))
            }
            let during = try FileManager.default.contentsOfDirectory(atPath: directory)
            withExtendedLifetime(spool) {}
            #expect(during.count == 1, "the scratch file, while the spool lives: \(during)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).isEmpty)
    }

    /// A feature read back from the scratch file is the feature written, fields and geometry.
    @Test func aFeatureReadBackIsTheFeatureWritten() throws {
        let directory = try temporaryDirectory("spool-read")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let features = try Self.features()
        let spool = try SiteSpool(options: TileOptions(), scratchBeside: directory + "/x.pmtiles")
        for f in features { try spool.add(f) }
        try spool.finishAdding()
        for i in stride(from: 0, to: features.count, by: 37) {
            var expected = features[i]
            expected.siteID = ""
            #expect(try spool.feature(i) == expected)
        }
    }
}

/// Takes `after` tiles, then throws.
final class FailingSink: TileSink {
    struct Failure: Error {}
    private var left: Int
    init(after: Int) { left = after }
    func write(_ tile: TileCoordinate, mvt: [UInt8]) throws {
        guard left > 0 else { throw Failure() }
        left -= 1
    }
    func finish(_ tileset: TilesetDescription) throws {}
}
