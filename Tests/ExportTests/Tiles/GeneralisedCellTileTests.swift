import Export
import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// Generalised sites in tiles are their generalisation cell's square: many restricted sites in
/// one 0.1° cell are one polygon with their count at every zoom, and no point inside the cell,
/// read back by Python's `mapbox-vector-tile`; the server's ways of cutting a tile (all
/// candidate features, or the low zooms' summary) give the export's bytes.
@Suite struct GeneralisedCellTileTests {
    /// The cell of 79 restricted sites: 75.2–75.1° W, 39.9–40.0° N (Philadelphia's centre).
    static let cell = BoundingBox(minX: -75.2, minY: 39.9, maxX: -75.1, maxY: 40.0)

    /// At public: 79 restricted sites in `cell`, all destroyed; 3 restricted sites of mixed
    /// condition in the cell to its east; two public sites outside both.
    static func features() throws -> [ExportFeature] {
        let policy = SafeguardingPolicy(audience: .public)
        var rng = SplitMix64(seed: 79)
        var out: [ExportFeature] = []
        func site(_ id: String, _ p: Position, _ condition: String, _ sensitivity: Sensitivity) throws {
            let f = ExportFeature(siteID: id, geometry: .point(try Point(p)), properties: [
                ("id", .string(id)), ("name", .string("NAME-\(id)")), ("site_type", "mass_grave"), ("status", "reported"),
                ("condition", .string(condition)),
            ])
            if let shown = policy.apply(f, sensitivity: sensitivity) { out.append(shown) }
        }
        try site("public-a", Position(x: -75.5, y: 40.3), "intact", .public)
        for i in 0..<79 {
            try site("SECRET-\(i)", Position(x: -75.15 + Double.random(in: -0.045...0.045, using: &rng),
                                            y: 39.95 + Double.random(in: -0.045...0.045, using: &rng)), "destroyed", .restricted)
        }
        for (i, condition) in ["destroyed", "intact", "destroyed"].enumerated() {
            try site("MIXED-\(i)", Position(x: -75.05 + Double(i) * 0.01, y: 39.96), condition, .restricted)
        }
        try site("public-b", Position(x: -74.9, y: 39.7), "damaged", .public)
        return out
    }

    final class Collected: TileSink {
        var tiles: [TileCoordinate: [UInt8]] = [:]
        var tileset: TilesetDescription?
        func write(_ tile: TileCoordinate, mvt: [UInt8]) throws { tiles[tile] = mvt }
        func finish(_ tileset: TilesetDescription) throws { self.tileset = tileset }
    }

    /// One line per feature: `z/x/y<TAB>type<TAB>{properties}<TAB>[lon, lat, …]`.
    static let decode = #"""
    import sys, os, math, json
    import mapbox_vector_tile
    def pairs(c):
        if isinstance(c[0], (int, float)): yield c
        else:
            for part in c: yield from pairs(part)
    root = sys.argv[1]
    for name in sorted(os.listdir(root)):
        z, x, y = map(int, name[:-4].split("-"))
        for layer in mapbox_vector_tile.decode(open(os.path.join(root, name), "rb").read(),
                                               default_options={"y_coord_down": True}).values():
            e = layer.get("extent", 4096); n = 2 ** z
            for f in layer["features"]:
                out = []
                for u, v in pairs(f["geometry"]["coordinates"]):
                    wx, wy = (x + u / e) / n, (y + v / e) / n
                    out += [wx * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))]
                print(f"{z}/{x}/{y}\t{f['geometry']['type']}\t{json.dumps(f['properties'], sort_keys=True)}\t{json.dumps(out)}")
    """#

    struct Decoded {
        var tile: String
        var type: String
        var properties: [String: Any]
        var positions: [Position]
    }

    static func decoded(_ tiles: [TileCoordinate: [UInt8]]) throws -> [Decoded] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-cells-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for (t, bytes) in tiles { try Data(bytes).write(to: folder.appendingPathComponent("\(t.z)-\(t.x)-\(t.y).mvt")) }
        let run = try ProgramRun.run("python3", ["-c", decode, folder.path])
        guard run.status == 0 else { throw TestFailure("decoding failed: \(run.standardErrorText)") }
        return try run.standardOutputText.split(separator: "\n").map { line in
            let parts = line.split(separator: "\t", maxSplits: 3).map(String.init)
            let properties = try JSONSerialization.jsonObject(with: Data(parts[2].utf8)) as? [String: Any] ?? [:]
            let numbers = try JSONSerialization.jsonObject(with: Data(parts[3].utf8)) as? [Double] ?? []
            let positions = stride(from: 0, to: numbers.count - 1, by: 2).map { Position(x: numbers[$0], y: numbers[$0 + 1]) }
            return Decoded(tile: parts[0], type: parts[1], properties: properties, positions: positions)
        }
    }

    /// A tile's box in degrees with its buffer (64 of 4,096 units on each side).
    static func bufferedBox(_ tile: TileCoordinate) -> BoundingBox {
        let n = Double(1 << tile.z), f = 64.0 / 4096
        func lon(_ x: Double) -> Double { x / n * 360 - 180 }
        func lat(_ y: Double) -> Double { atan(sinh(Double.pi * (1 - 2 * y / n))) * 180 / Double.pi }
        return BoundingBox(minX: lon(Double(tile.x) - f), minY: lat(Double(tile.y + 1) + f),
                           maxX: lon(Double(tile.x + 1) + f), maxY: lat(Double(tile.y) - f))
    }

    @Test func manySitesInOneCellAreOneSquareWithTheirCountAtEveryZoom() throws {
        let features = try Self.features()
        #expect(features.count == 84)
        let options = TileOptions(minZoom: 5, maxZoom: 14)
        let sink = Collected()
        _ = try VectorTiler(options: options).run(features, into: sink)
        let centre = Position(x: -75.15, y: 39.95)
        let asked = [5, 9, 12, 14].map { TileCoordinate(containing: centre, zoom: $0) }
        let found = try Self.decoded(sink.tiles.filter { asked.contains($0.key) })
        for tile in asked {
            let here = found.filter { $0.tile == "\(tile)" }
            let squares = here.filter { ($0.properties["count"] as? Int) == 79 }
            #expect(squares.count == 1, "\(tile): one square for the 79 sites, not \(squares.count)")
            guard let square = squares.first else { continue }
            #expect(square.type == "Polygon")
            #expect(square.properties["generalised"] as? Bool == true && square.properties["cell_size_deg"] as? Double == 0.1)
            #expect(square.properties["condition"] as? String == "destroyed")
            #expect(Set(square.properties.keys) == ["generalised", "cell_size_deg", "count", "condition"], "\(square.properties)")
            // Its corners are the cell's cut by the tile with its buffer (64 of 4,096 units), to a
            // tile unit (z5: 0.003°): whole where the tile holds it, the tile's edge where the cell
            // goes on beyond it (a renderer keeps a tile's coordinates in 16 bits).
            let unit = 360.0 / Double(1 << tile.z) / 4096 * 1.5
            let reach = Self.bufferedBox(tile)
            let xs = square.positions.map(\.x), ys = square.positions.map(\.y)
            #expect(abs((xs.min() ?? 0) - max(Self.cell.minX, reach.minX)) <= unit
                        && abs((xs.max() ?? 0) - min(Self.cell.maxX, reach.maxX)) <= unit, "\(tile): \(xs)")
            #expect(abs((ys.min() ?? 0) - max(Self.cell.minY, reach.minY)) <= unit
                        && abs((ys.max() ?? 0) - min(Self.cell.maxY, reach.maxY)) <= unit, "\(tile): \(ys)")
            if tile.z <= 9 {
                #expect(Self.cell.minX > reach.minX && Self.cell.maxY < reach.maxY, "\(tile): the whole cell, uncut")
            }
            // Nothing else is drawn inside the cell: no point, no cluster.
            for other in here where other.type.hasSuffix("Point") {
                for p in other.positions {
                    #expect(!(p.x > Self.cell.minX && p.x < Self.cell.maxX && p.y > Self.cell.minY && p.y < Self.cell.maxY),
                            "\(tile): a point inside the cell: \(other.properties)")
                }
            }
            // The mixed cell to the east: in the same tile up to zoom 9 (at 12 and 14 the tile ends before it).
            let mixed = here.filter { ($0.properties["count"] as? Int) == 3 }
            #expect(mixed.count == (tile.z <= 9 ? 1 : 0) && mixed.first?.properties["condition"] == nil,
                    "\(tile): the mixed cell has no condition")
        }
        // The tile set's bounds take in the squares, not only their centres: a map asks for no
        // tile outside them, and would draw a strip of the cell at zoom 14.
        let bounds = try #require(sink.tileset?.bounds)
        #expect(bounds.minX <= Self.cell.minX + 1e-9 && bounds.minY <= Self.cell.minY + 1e-9
                    && bounds.maxY >= Self.cell.maxY - 1e-9, "\(bounds)")
        // No tile names a generalised site, and every square of the 79 says 79.
        let all = try Self.decoded(sink.tiles)
        for f in all {
            #expect(!f.properties.values.contains { "\($0)".contains("SECRET") || "\($0)".contains("MIXED") }, "\(f.tile): \(f.properties)")
            if f.properties["generalised"] as? Bool == true {
                #expect(f.type == "Polygon" && [79, 3].contains(f.properties["count"] as? Int ?? 0), "\(f.tile): \(f.properties)")
            }
        }
        #expect(Set(all.filter { ($0.properties["count"] as? Int) == 79 }.map { Int($0.tile.split(separator: "/")[0]) ?? -1 }) == Set(5...14))
    }

    /// The server cuts a tile from the candidate features (zooms from its summary zoom on) or
    /// from the summary (below): both give the export's bytes, for every tile, whether the
    /// summary's cells were sorted in one chunk or through many runs on disk (2 cells a chunk).
    @Test(arguments: [2, 1 << 13]) func theServersCutsAreTheExportsBytes(chunkSize: Int) throws {
        let features = try Self.features()
        let options = TileOptions(minZoom: 5, maxZoom: 14)
        let sink = Collected()
        _ = try VectorTiler(options: options).run(features, into: sink)
        let cutter = try TileOnDemand(options: options)
        var builder = ClusterSummary.Builder(options: options, topZoom: 10, chunkSize: chunkSize)
        for (i, f) in features.enumerated() { try builder.add(f, site: Int64(i)) }
        let summary = try builder.finish()
        #expect(sink.tiles.count > 40)
        for (tile, bytes) in sink.tiles {
            if tile.z >= 10 {
                #expect(try cutter.tile(tile, features: features) == bytes, "\(tile) from the features")
            } else {
                let shapes = summary.shapes(in: tile).map { features[Int($0)] }
                let cut = try cutter.tile(tile, features: shapes, cells: summary.cells(in: tile)) { features[Int($0)] }
                #expect(cut == bytes, "\(tile) from the summary")
            }
        }
    }
}
