@testable import Export
import Foundation
import Geometry
import Testing

@Suite struct TileArchiveTests {
    @Test func everyTilePassesTheSpecificationRules() throws {
        let fx = try TileFixture.shared.get()
        let tiles = try fx.folderTiles()
        #expect(!tiles.isEmpty)
        let pointSites = Set(fx.features.filter { if case .point = $0.geometry { true } else { false } }.map(\.tileID))
        var idsAtMax = Set<UInt64>()
        for (key, bytes) in tiles {
            let layers = try MVTValidator.decode(bytes)
            #expect(layers.count == 1 && layers[0].name == "sites" && layers[0].extent == 4096, "\(key)")
            #expect(bytes.count <= 500_000)
            if key.hasPrefix("\(fx.options.maxZoom)/") {
                for f in layers[0].features {
                    #expect(f.properties["cluster"] == nil, "no clusters at the maximum zoom")
                    if let id = f.id { idsAtMax.insert(id) }
                }
            }
        }
        #expect(idsAtMax == Set(fx.features.map(\.tileID)), "every site is present at the maximum zoom")
        // Below the maximum zoom every point site is counted exactly once, alone or in a cluster.
        for z in fx.options.minZoom..<fx.options.maxZoom {
            var represented = 0
            for (key, bytes) in tiles where key.hasPrefix("\(z)/") {
                for f in try MVTValidator.decode(bytes)[0].features where f.type == 1 {
                    if let n = f.properties["point_count"] { represented += Int(n) ?? 0 }
                    else if let id = f.id, pointSites.contains(id) { represented += 1 }
                }
            }
            #expect(represented >= pointSites.count, "zoom \(z): \(represented) of \(pointSites.count) point sites")
        }
    }

    @Test func pythonDecoderAgreesOnCountsCoordinatesAndValidity() throws {
        let fx = try TileFixture.shared.get()
        let out = try runPython(Self.decodeScript, [fx.folderPath, String(fx.options.maxZoom), String(fx.options.buffer)])
        let report = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        #expect((report["tiles"] as? Int ?? 0) > 0)
        #expect(report["mismatches"] as? [String] == [], "\(report["mismatches"] ?? "")")
        #expect(report["invalid"] as? [String] == [], "\(report["invalid"] ?? "")")
        #expect(report["winding"] as? [String] == [], "\(report["winding"] ?? "")")
        #expect((report["max_point_error"] as? Double ?? 99) <= 1.0)
        #expect((report["points_checked"] as? Int ?? 0) > 200)
    }

    @Test func pmtilesArchiveHoldsExactlyTheFolderTiles() throws {
        let fx = try TileFixture.shared.get()
        let out = try runPython(Self.pmtilesScript, [fx.pmtilesPath, fx.folderPath])
        let report = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        #expect(report["differences"] as? [String] == [])
        #expect(report["count"] as? Int == (try fx.folderTiles()).count)
        #expect(report["min_zoom"] as? Int == fx.options.minZoom)
        #expect(report["max_zoom"] as? Int == fx.options.maxZoom)
        let bounds = report["bounds"] as? [Double] ?? []
        let lons = fx.features.compactMap(\.geometry.boundingBox)
        #expect(bounds.count == 4)
        if bounds.count == 4 {
            #expect(abs(bounds[0] - lons.map(\.minX).min()!) < 1e-6)
            #expect(abs(bounds[3] - lons.map(\.maxY).max()!) < 1e-6)
        }
        #expect((report["layers"] as? [String]) == ["sites"])
    }

    @Test func mbtilesRowsAreTMSAndTilesEqualTheFolder() throws {
        let fx = try TileFixture.shared.get()
        let out = try runPython("""
            import sqlite3, gzip, os, sys, json
            db = sqlite3.connect(sys.argv[1]); folder = sys.argv[2]
            diffs = []; n = 0
            for z, x, row, data in db.execute("select zoom_level, tile_column, tile_row, tile_data from tiles"):
                n += 1
                y = (1 << z) - 1 - row
                path = os.path.join(folder, str(z), str(x), f"{y}.mvt")
                if not os.path.exists(path) or open(path, "rb").read() != gzip.decompress(data):
                    diffs.append(f"{z}/{x}/{y}")
            meta = dict(db.execute("select name, value from metadata"))
            layers = json.loads(meta["json"])["vector_layers"]
            print(json.dumps({"count": n, "differences": diffs, "format": meta["format"],
                              "layer": layers[0]["id"], "fields": sorted(layers[0]["fields"])}))
            """, [fx.mbtilesPath, fx.folderPath])
        let report = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        #expect(report["differences"] as? [String] == [])
        #expect(report["count"] as? Int == (try fx.folderTiles()).count)
        #expect(report["format"] as? String == "pbf")
        #expect(report["layer"] as? String == "sites")
        #expect((report["fields"] as? [String] ?? []).contains("name:fa"))
    }

    @Test func gdalReadsTheMBTilesAndTheFolder() throws {
        let fx = try TileFixture.shared.get()
        let z = fx.options.maxZoom
        let unit = 360.0 / Double(1 << z) / 4096  // one tile unit in degrees of longitude
        let sources = [[fx.mbtilesPath, "-oo", "ZOOM_LEVEL=\(z)"], [fx.folderPath + "/\(z)", "-oo", "TILE_EXTENSION=mvt"]]
        for source in sources {
            let r = try runTool(["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4326", "/vsistdout/"] + source)
            #expect(r.status == 0, "\(r.err)")
            let doc = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any] ?? [:]
            let features = doc["features"] as? [[String: Any]] ?? []
            var ids = Set<UInt64>()
            var worst = 0.0
            for f in features {
                let props = f["properties"] as? [String: Any] ?? [:]
                if let id = props["mvt_id"] as? NSNumber { ids.insert(id.uint64Value) }
                let geometry = f["geometry"] as? [String: Any] ?? [:]
                if geometry["type"] as? String == "Point", let lon = props["lon"] as? Double, let lat = props["lat"] as? Double,
                   let c = geometry["coordinates"] as? [Double] {
                    worst = max(worst, abs(c[0] - lon), abs(c[1] - lat))
                }
            }
            #expect(ids == Set(fx.features.map(\.tileID)), "\(source[0]): every site read back by GDAL")
            #expect(worst <= unit, "\(source[0]): points within one tile unit (\(worst) > \(unit))")
        }
    }

    static let decodeScript = #"""
    import sys, os, json, math
    import mapbox_vector_tile
    from shapely.geometry import shape, box, Point, Polygon
    folder, maxzoom, buf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    E = 4096
    def world(lon, lat):
        s = math.sin(math.radians(max(-85.0511287798, min(85.0511287798, lat))))
        return lon / 360 + 0.5, 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)
    def ring_area(r):
        return sum(r[i][0] * r[(i+1) % len(r)][1] - r[(i+1) % len(r)][0] * r[i][1] for i in range(len(r)))
    tiles = {}
    for z in os.listdir(folder):
        if not z.isdigit(): continue
        for x in os.listdir(os.path.join(folder, z)):
            for f in os.listdir(os.path.join(folder, z, x)):
                y = int(f.split(".")[0])
                data = open(os.path.join(folder, z, x, f), "rb").read()
                tiles[(int(z), int(x), y)] = mapbox_vector_tile.decode(data, default_options={"y_coord_down": True})
    invalid, winding, mismatches = [], [], []
    max_err, checked = 0.0, 0
    sites = {}
    for (z, x, y), layers in tiles.items():
        for f in layers["sites"]["features"]:
            g = f["geometry"]; p = f["properties"]
            if g["type"] in ("Polygon", "MultiPolygon"):
                polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
                for poly in polys:
                    sp = Polygon(poly[0], poly[1:])
                    if not sp.is_valid: invalid.append(f"{z}/{x}/{y} id {f['id']}")
            if g["type"] == "Point" and "lon" in p and "cluster" not in p:
                wx, wy = world(p["lon"], p["lat"])
                n = 1 << z
                ex, ey = (wx * n - x) * E, (wy * n - y) * E
                err = max(abs(ex - g["coordinates"][0]), abs(ey - g["coordinates"][1]))
                max_err = max(max_err, err); checked += 1
            if z == maxzoom and "lon" in p:
                sites[f["id"]] = p
    # Raw winding check from the protobuf itself (the decoder may reorient): read with the
    # module's protobuf classes.
    from mapbox_vector_tile.Mapbox import vector_tile_pb2
    def zz(v): return (v >> 1) ^ -(v & 1)
    for (z, x, y) in tiles:
        t = vector_tile_pb2.tile(); t.ParseFromString(open(os.path.join(folder, str(z), str(x), f"{y}.mvt"), "rb").read())
        for layer in t.layers:
            for feat in layer.features:
                if feat.type != 3: continue
                g = list(feat.geometry); i = 0; cx = cy = 0; rings = []
                while i < len(g):
                    cmd, cnt = g[i] & 7, g[i] >> 3; i += 1
                    if cmd == 7: continue
                    for _ in range(cnt):
                        cx += zz(g[i]); cy += zz(g[i+1]); i += 2
                        if cmd == 1: rings.append([(cx, cy)])
                        else: rings[-1].append((cx, cy))
                if not rings or ring_area(rings[0]) <= 0: winding.append(f"{z}/{x}/{y} id {feat.id}")
    # Expected membership at the maximum zoom, computed here from the original lon/lat.
    n = 1 << maxzoom
    for (z, x, y), layers in tiles.items():
        if z != maxzoom: continue
        for f in layers["sites"]["features"]:
            if f["geometry"]["type"] != "Point" or "lon" not in f["properties"]: continue
            wx, wy = world(f["properties"]["lon"], f["properties"]["lat"])
            tx, ty = (wx * n - x) * E, (wy * n - y) * E
            if not (-buf - 1 <= tx <= E + buf + 1 and -buf - 1 <= ty <= E + buf + 1):
                mismatches.append(f"{z}/{x}/{y}: point {f['id']} outside the tile and its buffer")
    # Every point site must be in each maxzoom tile whose buffered area holds it.
    point_sites = {fid: p for fid, p in sites.items()}
    for fid, p in point_sites.items():
        wx, wy = world(p["lon"], p["lat"])
        for tx in range(int((wx * n * E - buf + 1) // E), int((wx * n * E + buf - 1) // E) + 1):
            for ty in range(int((wy * n * E - buf + 1) // E), int((wy * n * E + buf - 1) // E) + 1):
                layers = tiles.get((maxzoom, tx, ty))
                ids = {f["id"] for f in layers["sites"]["features"]} if layers else set()
                if fid not in ids: mismatches.append(f"{maxzoom}/{tx}/{ty}: site {fid} missing")
    print(json.dumps({"tiles": len(tiles), "invalid": invalid, "winding": winding, "mismatches": mismatches,
                      "max_point_error": max_err, "points_checked": checked}))
    """#

    static let pmtilesScript = #"""
    import sys, os, json, gzip
    from pmtiles.reader import Reader, MmapSource, all_tiles
    path, folder = sys.argv[1], sys.argv[2]
    with open(path, "rb") as f:
        src = MmapSource(f)
        r = Reader(src)
        h = r.header(); meta = r.metadata()
        diffs = []; n = 0
        for (z, x, y), data in all_tiles(src):
            n += 1
            p = os.path.join(folder, str(z), str(x), f"{y}.mvt")
            if not os.path.exists(p) or open(p, "rb").read() != gzip.decompress(data):
                diffs.append(f"{z}/{x}/{y}")
        print(json.dumps({"count": n, "differences": diffs, "min_zoom": h["min_zoom"], "max_zoom": h["max_zoom"],
            "bounds": [h["min_lon_e7"] / 1e7, h["min_lat_e7"] / 1e7, h["max_lon_e7"] / 1e7, h["max_lat_e7"] / 1e7],
            "layers": [l["id"] for l in meta["vector_layers"]]}))
    """#
}
