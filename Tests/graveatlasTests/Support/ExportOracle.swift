import Foundation
import Geometry

/// Reads exported files back through independent tools: GDAL for the layer formats, python's
/// `mapbox-vector-tile` and `pmtiles` for tiles.
enum ExportOracle {
    struct Feature {
        var properties: [String: Any]
        var positions: [Position]
        /// Exterior rings (for polygons), as read.
        var exteriors: [[Position]]
    }

    /// Every feature of a file as GDAL reads it, converted to a GeoJSON text sequence.
    static func features(_ path: String, openOptions: [String] = [], arguments: [String] = []) throws -> [Feature] {
        var args = ["/usr/bin/ogr2ogr", "-f", "GeoJSONSeq", "/vsistdout/", path] + arguments + ["-lco", "RS=NO", "-lco", "COORDINATE_PRECISION=15"]
        for o in openOptions { args += ["-oo", o] }
        let r = try runProgram(args[0], Array(args.dropFirst()))
        guard r.status == 0 else { throw FixtureError("ogr2ogr \(path): \(r.stderr)") }
        return try r.stdout.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            let geometry = object["geometry"] as? [String: Any]
            var exteriors: [[Position]] = []
            if geometry?["type"] as? String == "Polygon", let rings = geometry?["coordinates"] as? [Any], let first = rings.first {
                exteriors.append(flatten(first))
            }
            return Feature(properties: object["properties"] as? [String: Any] ?? [:],
                           positions: flatten(geometry?["coordinates"]), exteriors: exteriors)
        }
    }

    /// Number pairs in nested JSON arrays.
    static func flatten(_ any: Any?) -> [Position] {
        guard let array = any as? [Any] else { return [] }
        if array.count >= 2, let x = (array[0] as? NSNumber)?.doubleValue, let y = (array[1] as? NSNumber)?.doubleValue,
           !(array[0] is [Any]) {
            return [Position(x: x, y: y)]
        }
        return array.flatMap { flatten($0) }
    }

    /// Twice the signed area of a ring (positive: counter-clockwise).
    static func signedArea(_ ring: [Position]) -> Double {
        zip(ring, ring.dropFirst()).reduce(0) { $0 + ($1.0.x * $1.1.y - $1.1.x * $1.0.y) }
    }

    /// Tiles of a folder, PMTiles or MBTiles archive, decoded by python: every vertex as
    /// longitude/latitude with its zoom and feature id, and every tile's uncompressed bytes
    /// written under `unpacked` as z/x/y.mvt.
    static func tileVertices(_ path: String, unpacked: String) throws -> [(zoom: Int, id: Int, position: Position)] {
        let r = try runProgram("/usr/bin/env", ["python3", "-c", tileScript, path, unpacked])
        guard r.status == 0 else { throw FixtureError("python on \(path): \(r.stderr)") }
        return r.stdout.split(separator: "\n").compactMap { line in
            let v = line.split(separator: " ")
            guard v.count == 4, let z = Int(v[0]), let id = Int(v[1]), let x = Double(v[2]), let y = Double(v[3]) else { return nil }
            return (z, id, Position(x: x, y: y))
        }
    }

    static let tileScript = #"""
    import sys, os, gzip, math, sqlite3
    import mapbox_vector_tile
    path, out = sys.argv[1], sys.argv[2]
    def tiles():
        if path.endswith(".pmtiles"):
            from pmtiles.reader import MmapSource, all_tiles
            with open(path, "rb") as f:
                for (z, x, y), data in all_tiles(MmapSource(f)): yield z, x, y, data
        elif path.endswith(".mbtiles"):
            for z, x, row, data in sqlite3.connect(path).execute("select zoom_level, tile_column, tile_row, tile_data from tiles"):
                yield z, x, (1 << z) - 1 - row, data
        else:
            for root, _, files in os.walk(path):
                for name in files:
                    if name.endswith(".mvt"):
                        z, x = map(int, os.path.relpath(root, path).split(os.sep)); y = int(name[:-4])
                        yield z, x, y, open(os.path.join(root, name), "rb").read()
    def pairs(c):
        if isinstance(c[0], (int, float)): yield c
        else:
            for part in c: yield from pairs(part)
    for z, x, y, data in tiles():
        if data[:2] == b"\x1f\x8b": data = gzip.decompress(data)
        d = os.path.join(out, str(z), str(x)); os.makedirs(d, exist_ok=True)
        open(os.path.join(d, f"{y}.mvt"), "wb").write(data)
        for layer in mapbox_vector_tile.decode(data, default_options={"y_coord_down": True}).values():
            extent = layer.get("extent", 4096)
            for f in layer["features"]:
                for u, v in pairs(f["geometry"]["coordinates"]):
                    n = 2 ** z
                    wx, wy = (x + u / extent) / n, (y + v / extent) / n
                    lon = wx * 360 - 180
                    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))
                    print(z, f.get("id", -1), repr(lon), repr(lat))
    """#
}
