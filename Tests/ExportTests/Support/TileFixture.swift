import Export
import Foundation
import Geometry

/// One set of tile exports shared by the tile tests: the same 400 sites cut into a folder,
/// a PMTiles archive and an MBTiles file, zooms 9…13.
struct TileFixture: Sendable {
    let directory: String
    let features: [ExportFeature]
    let options: TileOptions
    let folder: TileExport.Result
    let pmtiles: TileExport.Result
    let mbtiles: TileExport.Result

    var folderPath: String { directory + "/tiles" }
    var pmtilesPath: String { directory + "/sites.pmtiles" }
    var mbtilesPath: String { directory + "/sites.mbtiles" }

    static let shared: Result<TileFixture, any Error> = Result { try TileFixture() }

    init() throws {
        directory = try temporaryDirectory("tiles")
        features = SyntheticSites.make(count: 400, seed: 42)
        var options = TileOptions(minZoom: 9, maxZoom: 13)
        options.clusterCell = 256
        self.options = options
        folder = try TileExport.run(features, output: directory + "/tiles", options: options)
        pmtiles = try TileExport.run(features, output: directory + "/sites.pmtiles", options: options)
        mbtiles = try TileExport.run(features, output: directory + "/sites.mbtiles", options: options)
    }

    /// Every tile file of the folder export, by "z/x/y".
    func folderTiles() throws -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        let base = URL(fileURLWithPath: folderPath)
        guard let e = FileManager.default.enumerator(atPath: folderPath) else { return out }
        for case let rel as String in e where rel.hasSuffix(".mvt") {
            let data = try Data(contentsOf: base.appendingPathComponent(rel))
            out[String(rel.dropLast(4))] = Array(data)
        }
        return out
    }
}
