import TestSupport
import Export
import Foundation
import Geometry
import Store
import Testing

/// The safeguarding promise, checked on every file a `public` export writes: no position near a
/// confidential site, no restricted site's true position, no confidential name or description,
/// and no withheld field of a restricted site — in GeoJSON, GeoJSON text sequences, CSV (WKT
/// and centroids), KML, and tiles in a folder, PMTiles and MBTiles (tiles decompressed first).
@Suite struct LeakTests {
    struct Site {
        var feature: ExportFeature
        var sensitivity: Sensitivity
        var position: Position
    }

    /// Public and restricted sites around Tehran, confidential ones around Ahvaz; no protected
    /// site lies within 1 km of a 0.1° cell centre, so generalisation cannot land on it.
    static func sites() -> [Site] {
        var rng = SplitMix64(seed: 2024)
        var out: [Site] = []
        func farFromCellCentre(_ p: Position) -> Bool {
            let cx = ((p.x / 0.1).rounded(.down) + 0.5) * 0.1, cy = ((p.y / 0.1).rounded(.down) + 0.5) * 0.1
            return metres(p, Position(x: cx, y: cy)) > 1000
        }
        func add(_ n: Int, _ s: Sensitivity, _ region: BoundingBox, polygons: Bool) {
            var made = 0
            while made < n {
                let p = Position(x: Double.random(in: region.minX...region.maxX, using: &rng),
                                 y: Double.random(in: region.minY...region.maxY, using: &rng))
                if s != .public, !farFromCellCentre(p) { continue }
                let geometry: Geometry = polygons && made % 2 == 1
                    ? SyntheticSites.polygon(around: p, rng: &rng) : .point(try! Point(p))
                let tag = "\(s.rawValue.uppercased())-\(made)"
                let feature = ExportFeature(siteID: "\(s.rawValue)-\(made)", geometry: geometry, properties: [
                    ("name", .string("NAME-\(tag)")), ("name:fa", .string("نام-\(tag)")),
                    ("site_type", "mass_grave"), ("status", "reported"), ("condition", "destroyed"),
                    ("description", .string("DESCRIPTION-\(tag)")), ("source", .string("SOURCE-\(tag)")),
                ])
                out.append(Site(feature: feature, sensitivity: s, position: geometry.boundingBox!.center))
                made += 1
            }
        }
        let tehran = BoundingBox(minX: 51.0, minY: 35.4, maxX: 51.8, maxY: 36.0)
        add(120, .public, tehran, polygons: true)
        add(50, .restricted, tehran, polygons: true)
        add(40, .confidential, BoundingBox(minX: 48.5, minY: 31.2, maxX: 48.9, maxY: 31.5), polygons: true)
        return out
    }

    static func metres(_ a: Position, _ b: Position) -> Double {
        let r = 6_371_008.8, rad = Double.pi / 180
        let dlat = (b.y - a.y) * rad, dlon = (b.x - a.x) * rad
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(a.y * rad) * cos(b.y * rad) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }

    @Test func publicExportsRevealNothingProtected() throws {
        let sites = Self.sites()
        let dir = try temporaryDirectory("leak")
        let policy = SafeguardingPolicy(audience: .public)
        let input = sites.map { SensitiveFeature($0.feature, sensitivity: $0.sensitivity) }
        var tileOptions = TileOptions(minZoom: 8, maxZoom: 14)
        tileOptions.clusterCell = 128
        var written: [String] = []
        let jobs: [(LayerExport.Format, String)] = [
            (.geojson, "p.geojson"), (.geojsonseq, "p.geojsons"), (.csv, "p.csv"), (.kml, "p.kml"),
            (.tiles, "tiles"), (.tiles, "p.pmtiles"), (.tiles, "p.mbtiles"),
        ]
        for (format, name) in jobs {
            var job = LayerExport(format: format, output: dir + "/" + name, policy: policy)
            job.tileOptions = tileOptions
            let report = try job.run(input, store: ["path": "synthetic"])
            #expect(report.features == 170, "\(name): 120 public + 50 generalised")
            #expect(report.counts["withheld"] == 40, "the person running the export is told")
            #expect(report.manifest.counts.keys.allSatisfy(ExportManifest.publicCounts.contains),
                    "\(name): the manifest counts only what the files show, not \(report.manifest.counts)")
            written += report.manifest.files.map(\.path) + [report.manifestPath]
        }
        var centroidJob = LayerExport(format: .csv, output: dir + "/c.csv", policy: policy)
        centroidJob.options.csvGeometry = .centroid
        written += try centroidJob.run(input).manifest.files.map(\.path)

        // Archives, unpacked by independent readers into plain tile folders.
        _ = try runPython(Self.unpackScript, [dir + "/p.pmtiles", dir + "/p.mbtiles", dir + "/unpacked-pm", dir + "/unpacked-mb"])
        var positions: [(String, Position)] = []
        var blobs: [(String, [UInt8])] = []
        for path in written where !path.hasSuffix(".pmtiles") && !path.hasSuffix(".mbtiles") {
            blobs.append((path, Array(try Data(contentsOf: URL(fileURLWithPath: path)))))
        }
        for folder in [dir + "/tiles", dir + "/unpacked-pm", dir + "/unpacked-mb"] {
            let tiles = try Self.tiles(in: folder)
            #expect(!tiles.isEmpty, "\(folder) holds tiles")
            for (key, bytes) in tiles {
                blobs.append((folder + "/" + key, bytes))
                positions += try Self.tilePositions(key, bytes).map { (folder + "/" + key, $0) }
            }
        }
        positions += try Self.textPositions(dir)

        let confidential = sites.filter { $0.sensitivity == .confidential }
        let restricted = sites.filter { $0.sensitivity == .restricted }
        let publicSites = sites.filter { $0.sensitivity == .public }
        #expect(positions.count > 1000)
        // Protected positions by 0.01° cell (about 1 km), so each output position is compared
        // only with those nearby.
        var grid: [Int64: [(Site, Position, Double)]] = [:]
        func cell(_ p: Position) -> (Int64, Int64) { (Int64((p.x * 100).rounded(.down)), Int64((p.y * 100).rounded(.down))) }
        for c in confidential {
            let (i, j) = cell(c.position)
            grid[i << 32 | (j & 0xffff_ffff), default: []].append((c, c.position, 150))
        }
        for r in restricted {
            r.feature.geometry.forEachPosition { q in
                let (i, j) = cell(q)
                grid[i << 32 | (j & 0xffff_ffff), default: []].append((r, q, 20))
            }
        }
        for (file, p) in positions {
            let (i, j) = cell(p)
            for di in -1...1 {
                for dj in -1...1 {
                    for (site, q, limit) in grid[(i + Int64(di)) << 32 | ((j + Int64(dj)) & 0xffff_ffff)] ?? []
                    where Self.metres(p, q) < limit {
                        let covered = publicSites.contains { Self.metres($0.position, site.position) < 300 }
                        #expect(covered, "\(file): \(p) reveals \(site.sensitivity) site \(site.feature.siteID)")
                    }
                }
            }
        }
        let secrets = confidential.flatMap { s in
            ["name", "name:fa", "description", "source"].compactMap { s.feature.value(for: $0)?.description }
        } + restricted.flatMap { s in ["name", "name:fa", "description", "source"].compactMap { s.feature.value(for: $0)?.description } }
        let needles = secrets.map { Data($0.utf8) }
        for (file, bytes) in blobs {
            let data = Data(bytes)
            for (secret, needle) in zip(secrets, needles) {
                #expect(data.range(of: needle) == nil, "\(file) contains \(secret)")
            }
        }
        // The exports are not empty of what they should show.
        let geojson = try String(contentsOfFile: dir + "/p.geojson", encoding: .utf8)
        #expect(geojson.contains("NAME-PUBLIC-3") && geojson.contains("\"generalised\":true"))
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        Data(hay).range(of: Data(needle)) != nil
    }

    static func tiles(in folder: String) throws -> [(String, [UInt8])] {
        guard let e = FileManager.default.enumerator(atPath: folder) else { return [] }
        var out: [(String, [UInt8])] = []
        for case let rel as String in e where rel.hasSuffix(".mvt") {
            out.append((rel, Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + rel)))))
        }
        return out
    }

    /// Every position in a tile, as longitude/latitude.
    static func tilePositions(_ key: String, _ bytes: [UInt8]) throws -> [Position] {
        let parts = key.dropLast(4).split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3 else { return [] }
        let (z, x, y) = (parts[0], parts[1], parts[2])
        var out: [Position] = []
        for layer in try MVTValidator.decode(bytes) {
            for f in layer.features {
                for part in f.parts {
                    for (u, v) in part {
                        let n = Double(1 << z)
                        let wx = (Double(x) + Double(u) / Double(layer.extent)) / n
                        let wy = (Double(y) + Double(v) / Double(layer.extent)) / n
                        out.append(Position(x: wx * 360 - 180, y: atan(sinh(.pi * (1 - 2 * wy))) * 180 / .pi))
                    }
                }
            }
        }
        return out
    }

    /// Positions in the text formats: GeoJSON (both kinds), CSV (WKT and centroids), KML.
    static func textPositions(_ dir: String) throws -> [(String, Position)] {
        var out: [(String, Position)] = []
        func numbers(_ s: Substring) -> [Double] {
            s.split(whereSeparator: { !"0123456789.-eE".contains($0) }).compactMap { Double($0) }
        }
        for name in ["p.geojson", "p.geojsons"] {
            let text = try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
            // Every number pair inside "coordinates" and "bbox" members.
            for member in ["\"coordinates\":", "\"bbox\":"] {
                for chunk in text.components(separatedBy: member).dropFirst() {
                    let end = chunk.firstIndex(where: { $0 == "}" || $0 == "\"" }) ?? chunk.endIndex
                    let v = numbers(chunk[..<end])
                    for k in stride(from: 0, to: v.count - 1, by: 2) { out.append((name, Position(x: v[k], y: v[k + 1]))) }
                }
            }
        }
        for line in try String(contentsOfFile: dir + "/p.csv", encoding: .utf8).split(separator: "\r\n").dropFirst() {
            guard let start = line.range(of: "POINT") ?? line.range(of: "POLYGON") ?? line.range(of: "MULTI") else { continue }
            var wkt = String(line[start.lowerBound...])
            if wkt.hasSuffix("\"") { wkt.removeLast() }
            try Geometry(wkt: wkt).forEachPosition { out.append(("p.csv", $0)) }
        }
        for line in try String(contentsOfFile: dir + "/c.csv", encoding: .utf8).split(separator: "\r\n").dropFirst() {
            let cells = line.split(separator: ",")
            if cells.count >= 2, let x = Double(cells[cells.count - 2]), let y = Double(cells[cells.count - 1]) {
                out.append(("c.csv", Position(x: x, y: y)))
            }
        }
        let kml = try String(contentsOfFile: dir + "/p.kml", encoding: .utf8)
        for chunk in kml.components(separatedBy: "<coordinates>").dropFirst() {
            let body = chunk.components(separatedBy: "</coordinates>")[0]
            for pair in body.split(separator: " ") {
                let v = pair.split(separator: ",").compactMap { Double($0) }
                if v.count >= 2 { out.append(("p.kml", Position(x: v[0], y: v[1]))) }
            }
        }
        return out
    }

    static let unpackScript = #"""
    import sys, os, gzip, sqlite3
    from pmtiles.reader import MmapSource, all_tiles
    pm, mb, out_pm, out_mb = sys.argv[1:5]
    def put(base, z, x, y, data):
        d = os.path.join(base, str(z), str(x)); os.makedirs(d, exist_ok=True)
        open(os.path.join(d, f"{y}.mvt"), "wb").write(gzip.decompress(data))
    with open(pm, "rb") as f:
        for (z, x, y), data in all_tiles(MmapSource(f)): put(out_pm, z, x, y, data)
    for z, x, row, data in sqlite3.connect(mb).execute("select zoom_level, tile_column, tile_row, tile_data from tiles"):
        put(out_mb, z, x, (1 << z) - 1 - row, data)
    """#
}
