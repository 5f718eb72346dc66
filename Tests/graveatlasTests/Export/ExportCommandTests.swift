import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// `graveatlas export …` end to end: a store made with the command line, every format read back
/// by GDAL or python's tile readers, the safeguarding promise over every format, the filters,
/// and the exit-code contract.
@Suite struct ExportCommandTests {
    static let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

    @discardableResult
    func export(_ arguments: [String]) throws -> CommandResult {
        let r = try GraveAtlasCommand.run(["export"] + arguments)
        #expect(r.status == 0, "export \(arguments.joined(separator: " ")): \(r.stderr)")
        return r
    }

    /// Whether every vertex lies within `tolerance` degrees of some vertex of `truth`.
    func near(_ got: [Position], _ truth: Geometry, _ tolerance: Double) -> Bool {
        var vertices: [Position] = []
        truth.forEachPosition { vertices.append($0) }
        return !got.isEmpty && got.allSatisfy { p in
            vertices.contains { abs($0.x - p.x) <= tolerance && abs($0.y - p.y) <= tolerance }
        }
    }

    @Test func everyFormatIsReadBackByGDALWithTheStoresCoordinates() throws {
        let f = try ExportStoreFixture.make("formats")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory, all = f.sites
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
        let internalAudience = ["--audience", "internal"]

        // GeoJSON at 6 decimals: every site, coordinates within half a unit of the 6th decimal,
        // exteriors counter-clockwise.
        try export(["geojson", f.store, "-o", d + "/all.geojson", "--precision", "6"] + internalAudience)
        let geojson = try ExportOracle.features(d + "/all.geojson")
        #expect(geojson.count == all.count)
        for feature in geojson {
            let id = feature.properties["id"] as? String ?? ""
            let site = try #require(byID[id] ?? all.first { $0.name == feature.properties["name"] as? String })
            #expect(near(feature.positions, site.geometry, 0.5e-6 + 1e-12), "\(site.name) coordinates")
            for ring in feature.exteriors { #expect(ExportOracle.signedArea(ring) > 0, "\(site.name) exterior is counter-clockwise") }
            #expect(feature.properties["name:fa"] as? String == site.persianName)
        }
        let text = try String(contentsOfFile: d + "/all.geojson", encoding: .utf8)
        #expect(text.contains("\"bbox\":") && !text.contains("51.12345678"))

        // GeoJSON text sequence.
        try export(["geojson", f.store, "-o", d + "/all.geojsons", "--seq"] + internalAudience)
        #expect(try ExportOracle.features(d + "/all.geojsons").count == all.count)

        // CSV with WKT at the default 7 decimals, and with centroids.
        try export(["csv", f.store, "-o", d + "/all.csv"] + internalAudience)
        let csv = try ExportOracle.features(d + "/all.csv", openOptions: ["GEOM_POSSIBLE_NAMES=wkt", "KEEP_GEOM_COLUMNS=NO"])
        #expect(csv.count == all.count)
        for feature in csv {
            let site = try #require(byID[feature.properties["id"] as? String ?? ""])
            #expect(near(feature.positions, site.geometry, 0.5e-7 + 1e-12), "\(site.name) WKT")
        }
        try export(["csv", f.store, "-o", d + "/xy.csv", "--geometry", "centroid", "--excel"] + internalAudience)
        let xy = try ExportOracle.features(d + "/xy.csv", openOptions: ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"])
        #expect(xy.count == all.count)
        for feature in xy {
            let site = try #require(byID[(feature.properties["id"] as? String ?? "").replacingOccurrences(of: "\u{FEFF}", with: "")])
            let p = try #require(feature.positions.first)
            let box = try #require(site.geometry.boundingBox)
            #expect(p.x >= box.minX - 1e-7 && p.x <= box.maxX + 1e-7 && p.y >= box.minY - 1e-7 && p.y <= box.maxY + 1e-7)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: d + "/xy.csv")).starts(with: [0xEF, 0xBB, 0xBF]))

        // KML.
        try export(["kml", f.store, "-o", d + "/all.kml"] + internalAudience)
        let kml = try ExportOracle.features(d + "/all.kml")
        #expect(kml.count == all.count)
        #expect(Set(kml.compactMap { $0.properties["Name"] as? String }) == Set(all.map(\.name)))

        // GeoPackage: valid, every site.
        try export(["gpkg", f.store, "-o", d + "/all.gpkg"] + internalAudience)
        let validation = try runProgram("/usr/bin/python3", [Self.validator, d + "/all.gpkg"])
        #expect(validation.status == 0 && validation.stderr.isEmpty, "\(validation.stdout)\(validation.stderr)")
        let gpkg = try ExportOracle.features(d + "/all.gpkg", arguments: ["sites"])
        #expect(gpkg.count == all.count)
        for feature in gpkg {
            let site = try #require(all.first { $0.name == feature.properties["name"] as? String })
            #expect(near(feature.positions, site.geometry, 1e-12), "\(site.name) in the GeoPackage")
        }

        // Tiles in each container: every site at the maximum zoom (python), and GDAL reads
        // the MBTiles archive and the folder.
        for name in ["all.pmtiles", "arch.mbtiles", "tiles"] {
            let r = try export(["tiles", f.store, "-o", d + "/" + name, "--minzoom", "6", "--maxzoom", "11"] + internalAudience)
            #expect(r.stdout.contains("tiles);"))
            let vertices = try ExportOracle.tileVertices(d + "/" + name, unpacked: d + "/unpacked-" + name)
            #expect(Set(vertices.filter { $0.zoom == 11 }.map(\.id)).count == all.count, "\(name): every site at z11")
            #expect(Set(vertices.map(\.zoom)) == Set(6...11))
        }
        for (path, options) in [(d + "/arch.mbtiles", ["ZOOM_LEVEL=11"]), (d + "/tiles/11", ["TILE_EXTENSION=mvt"])] {
            let read = try ExportOracle.features(path, openOptions: options, arguments: ["-t_srs", "EPSG:4326"])
            #expect(Set(read.compactMap { ($0.properties["mvt_id"] as? NSNumber)?.int64Value }).count == all.count, "GDAL reads \(path)")
            let unit = 360.0 / Double(1 << 11) / 4096
            for feature in read where feature.exteriors.isEmpty {
                // Points: within a tile unit of a site's own position.
                guard let p = feature.positions.first else { continue }
                #expect(all.contains { site in near([p], site.geometry, unit * 1.5) }, "\(path): \(p)")
            }
        }
        #expect(FileManager.default.fileExists(atPath: d + "/all.pmtiles.tilejson.json"))
        #expect(FileManager.default.fileExists(atPath: d + "/tiles/style.json"))

        // Every export wrote its manifest, with the SHA-256 of what it wrote.
        for out in ["all.geojson", "all.geojsons", "all.csv", "xy.csv", "all.kml", "all.gpkg", "all.pmtiles", "arch.mbtiles", "tiles"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: d + "/" + out + ".manifest.json"))
            let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(manifest["audience"] as? String == "internal")
            #expect((manifest["counts"] as? [String: Any])?["features"] as? Int == all.count)
            #expect((manifest["store"] as? [String: Any])?["sites"] as? String == String(all.count))
            let files = try #require(manifest["files"] as? [[String: Any]])
            for file in files {
                let path = d + "/" + (file["path"] as? String ?? "")
                let sum = try runProgram("/usr/bin/sha256sum", [path]).stdout.prefix(64)
                #expect(file["sha256"] as? String == String(sum), "\(out): \(path)")
            }
        }
    }

    @Test func publicExportsInEveryFormatRevealNothingProtected() throws {
        let f = try ExportStoreFixture.make("leak")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        let outputs: [(String, [String])] = [
            ("p.geojson", ["geojson"]), ("p.geojsons", ["geojson", "--seq"]), ("p.csv", ["csv"]),
            ("c.csv", ["csv", "--geometry", "centroid"]), ("p.kml", ["kml"]), ("p.gpkg", ["gpkg"]),
            ("tiles", ["tiles", "--minzoom", "5", "--maxzoom", "12"]),
            ("p.pmtiles", ["tiles", "--minzoom", "5", "--maxzoom", "12"]),
            ("p.mbtiles", ["tiles", "--minzoom", "5", "--maxzoom", "12"]),
        ]
        for (name, args) in outputs {
            let r = try export([args[0], f.store, "-o", d + "/" + name] + args.dropFirst())
            #expect(r.stdout.contains("15 withheld"), "\(name): \(r.stdout)")
        }
        var positions: [(String, Position)] = []
        func add(_ file: String, _ ps: [Position]) { positions += ps.map { (file, $0) } }
        for feature in try ExportOracle.features(d + "/p.geojson") { add("p.geojson", feature.positions) }
        for feature in try ExportOracle.features(d + "/p.geojsons") { add("p.geojsons", feature.positions) }
        for feature in try ExportOracle.features(d + "/p.csv", openOptions: ["GEOM_POSSIBLE_NAMES=wkt"]) { add("p.csv", feature.positions) }
        for feature in try ExportOracle.features(d + "/c.csv", openOptions: ["X_POSSIBLE_NAMES=lon", "Y_POSSIBLE_NAMES=lat"]) {
            add("c.csv", feature.positions)
        }
        for feature in try ExportOracle.features(d + "/p.kml") { add("p.kml", feature.positions) }
        for feature in try ExportOracle.features(d + "/p.gpkg", arguments: ["sites"]) { add("p.gpkg", feature.positions) }
        // Boxes written beside geometries: GeoJSON bbox members, TileJSON bounds and centre.
        let geojson = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: d + "/p.geojson"))) as? [String: Any]
        var boxes = [geojson?["bbox"]] + ((geojson?["features"] as? [[String: Any]]) ?? []).map { $0["bbox"] }
        for tilejson in [d + "/p.pmtiles.tilejson.json", d + "/p.mbtiles.tilejson.json", d + "/tiles/tilejson.json"] {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: tilejson))) as? [String: Any]
            boxes.append(object?["bounds"])
            add(tilejson, ExportOracle.flatten(object?["center"]))
        }
        for box in boxes {
            guard let v = (box as? [NSNumber])?.map(\.doubleValue), v.count == 4 else { Issue.record("a bbox is missing"); continue }
            add("bbox", [Position(x: v[0], y: v[1]), Position(x: v[2], y: v[3]), Position(x: v[0], y: v[3]), Position(x: v[2], y: v[1])])
        }
        var tileCount = 0
        for name in ["tiles", "p.pmtiles", "p.mbtiles"] {
            let vertices = try ExportOracle.tileVertices(d + "/" + name, unpacked: d + "/unpacked-" + name)
            tileCount += vertices.count
            add(name, vertices.map(\.position))
        }
        #expect(tileCount > 100 && positions.count > 500)

        let confidential = f.sites.filter { $0.sensitivity == .confidential }
        let restricted = f.sites.filter { $0.sensitivity == .restricted }
        let publicSites = f.sites.filter { $0.sensitivity == .public }
        var restrictedVertices: [(ExportStoreFixture.Truth, Position)] = []
        for r in restricted { r.geometry.forEachPosition { restrictedVertices.append((r, $0)) } }
        for (file, p) in positions {
            for c in confidential where FixtureShapes.metres(p, c.center) < 150 {
                let covered = publicSites.contains { FixtureShapes.metres($0.center, c.center) < 300 }
                #expect(covered, "\(file): \(p) lies within 150 m of confidential \(c.name)")
            }
            for (r, q) in restrictedVertices where FixtureShapes.metres(p, q) < 20 {
                #expect(Bool(false), "\(file): \(p) is restricted \(r.name)'s true position")
            }
        }
        // No protected name or description in any byte written (tiles decompressed).
        let secrets = (confidential + restricted).flatMap { [$0.name, $0.persianName, $0.description] }
        let files = FileManager.default.enumerator(atPath: d)?.compactMap { $0 as? String } ?? []
        var checked = 0
        for rel in files where !["atlas.gpkg", "sites.geojson"].contains(where: rel.hasPrefix) {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: d + "/" + rel, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: d + "/" + rel))
            checked += 1
            for secret in secrets where bytes.range(of: Data(secret.utf8)) != nil {
                Issue.record("\(rel) holds \(secret)")
            }
        }
        #expect(checked > 50)
        // What the public may see is there.
        let text = try String(contentsOfFile: d + "/p.geojson", encoding: .utf8)
        #expect(text.contains("NAME-PUBLIC-3") && text.contains("\"generalised\":true"))
    }

    @Test func filtersSelectTheRightSites() throws {
        let f = try ExportStoreFixture.make("filters")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        func ids(_ args: [String]) throws -> Set<String> {
            let out = d + "/f-\(UUID().uuidString).geojson"
            try export(["geojson", f.store, "-o", out] + args)
            // GDAL reads the file (the count); the ids are the features' own `id` members.
            let read = try ExportOracle.features(out)
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
            let ids = ((object?["features"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
            #expect(read.count == ids.count)
            return Set(ids)
        }
        let internalSites = f.sites
        let box = BoundingBox(minX: 51.2, minY: 35.5, maxX: 51.5, maxY: 35.8)
        let inBox = internalSites.filter { $0.geometry.boundingBox.map { $0.intersects(box) } ?? false }
        #expect(!inBox.isEmpty && inBox.count < internalSites.count)
        #expect(try ids(["--audience", "internal", "--bbox", "51.2,35.5,51.5,35.8"]) == Set(inBox.map(\.id)))

        let executions = internalSites.filter { $0.type == .executionSite }
        #expect(try ids(["--audience", "internal", "--type", "execution_site"]) == Set(executions.map(\.id)))
        let destroyedExecutions = executions.filter { $0.condition == .destroyed }
        #expect(try ids(["--audience", "internal", "--type", "execution_site", "--condition", "destroyed"])
            == Set(destroyedExecutions.map(\.id)))
        #expect(try ids(["--audience", "internal", "--status", "confirmed"]).isEmpty)

        let one = internalSites[7]
        #expect(try ids(["--audience", "internal", "--where", "name=\(one.name)"]) == [one.id])
        #expect(try ids(["--audience", "internal", "--where", "name:fa=\(one.persianName)", "--where", "site_type=\(one.type.rawValue)"]) == [one.id])

        // --since keeps sites with an event whose last possible day is on or after the date;
        // a Solar Hijri date (marked SH) is read as the Gregorian days it covers.
        let since2019 = internalSites.filter { ($0.lastEvent ?? "") >= "2019-01-01" }
        #expect(!since2019.isEmpty)
        #expect(try ids(["--audience", "internal", "--since", "2019"]) == Set(since2019.map(\.id)))
        let sinceMarch = internalSites.filter { ($0.lastEvent ?? "") >= "2021-03-15" }
        #expect(try ids(["--audience", "internal", "--since", "2021-03-15"]) == Set(sinceMarch.map(\.id)))
        #expect(try ids(["--audience", "internal", "--since", "1399 SH"]) == Set(sinceMarch.map(\.id)), "1399 SH starts 2020-03-20")
        // Without a mark, 1399 is the Gregorian year: every dated site is since then.
        #expect(try ids(["--audience", "internal", "--since", "1399"]) == Set(internalSites.filter { $0.lastEvent != nil }.map(\.id)))

        // Filters see what the audience sees: a restricted site cannot be found by its
        // withheld name, and its generalised point answers a box around the cell centre only.
        let hidden = try #require(f.sites.first { $0.sensitivity == .restricted })
        #expect(try ids(["--where", "name=\(hidden.name)"]).isEmpty)
        #expect(try ids(["--audience", "partner", "--where", "name=\(hidden.name)"]) == [hidden.id])
        let cx = ((hidden.center.x / 0.1).rounded(.down) + 0.5) * 0.1, cy = ((hidden.center.y / 0.1).rounded(.down) + 0.5) * 0.1
        let around = String(format: "%.6f,%.6f,%.6f,%.6f", cx - 0.001, cy - 0.001, cx + 0.001, cy + 0.001)
        #expect(try ids(["--bbox", around]).contains(hidden.id))
        // The manifest lists the filters: word for word at internal, by field only at public.
        for (audience, filters) in [("internal", ["site_type=cemetery", "bbox=51.0,35.0,52.0,36.0", "since=2015-01-01"]),
                                    ("public", ["site_type", "bbox", "since"])] {
            let out = d + "/m-\(audience).csv"
            try export(["csv", f.store, "-o", out, "--audience", audience, "--type", "cemetery", "--bbox", "51,35,52,36", "--since", "2015"])
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + ".manifest.json"))) as? [String: Any]
            #expect(manifest?["filters"] as? [String] == filters, "\(audience)")
        }
    }

    @Test func badArgumentsExitTwoWithOneLine() throws {
        let f = try ExportStoreFixture.make("usage")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        try FileManager.default.createDirectory(atPath: d + "/full", withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: d + "/full/old.mvt", contents: Data([1]))
        let cases: [[String]] = [
            ["geojson", f.store, "-o", d + "/x.geojson", "--audience", "everyone"],
            ["geojson", f.store, "-o", d + "/x.geojson", "--bbox", "51,35,52"],
            ["geojson", f.store, "-o", d + "/x.geojson", "--bbox", "52,35,51,36"],
            ["csv", f.store, "-o", d + "/x.csv", "--where", "nofield"],
            ["kml", f.store, "-o", d + "/x.kml", "--type", "grave"],
            ["kml", f.store, "-o", d + "/x.kml", "--condition", "gone"],
            ["gpkg", f.store, "-o", d + "/x.gpkg", "--since", "yesterday"],
            ["tiles", f.store, "-o", d + "/x.pmtiles", "--minzoom", "9", "--maxzoom", "3"],
            ["tiles", f.store, "-o", d + "/full"],
            ["geojson", f.store, "-o", d + "/x.geojson", "--precision", "40"],
            ["geojson", f.store, "-o", d + "/x.geojson", "--cell-size", "0"],
            ["csv", f.store, "-o", d + "/x.csv", "--geometry", "polygon"],
            ["geojson", d + "/missing.gpkg", "-o", d + "/x.geojson"],
            ["geojson", d + "/sites.geojson", "-o", d + "/x.geojson"],
            ["gpkg", f.store, "-o", f.store],
            ["geojson", f.store, "-o", d + "/no/such/folder/x.geojson"],
            ["geojson", f.store],
            ["shapefile", f.store, "-o", d + "/x.shp"],
        ]
        for args in cases {
            let r = try GraveAtlasCommand.run(["export"] + args)
            let lines = r.stderr.split(separator: "\n")
            #expect(r.status == 2, "\(args.joined(separator: " ")): \(r.status) \(r.stderr)")
            #expect(lines.count == 1 && lines.first?.hasPrefix("graveatlas: ") == true, "\(args): \(r.stderr)")
        }
        // Nothing was written for them, and the store is intact.
        #expect(!FileManager.default.fileExists(atPath: d + "/x.geojson"))
        #expect(try SiteStore(path: f.store).siteCount() == f.sites.count)
    }

    @Test func whereOnAFieldNoSiteHasIsAnErrorAndReachesSourceAttributes() throws {
        let f = try ExportStoreFixture.make("where")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        // A typo is bad input naming the known fields, and nothing is written.
        let typo = try GraveAtlasCommand.run(["export", "geojson", f.store, "-o", d + "/t.geojson", "--where", "conditon=destroyed"])
        #expect(typo.status == 2 && typo.stderr.split(separator: "\n").count == 1, "\(typo.stderr)")
        #expect(typo.stderr.contains("'conditon'") && typo.stderr.contains("known fields: id, name, name:fa, site_type"))
        #expect(!FileManager.default.fileExists(atPath: d + "/t.geojson"))

        // The source record's fields, bare or as source:FIELD, at the audiences that see them.
        func ids(_ args: [String]) throws -> [String] {
            let out = d + "/w-\(UUID().uuidString).geojson"
            try export(["geojson", f.store, "-o", out] + args)
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as? [String: Any]
            return ((object?["features"] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String }
        }
        let seventh = f.sites[7]
        #expect(try ids(["--audience", "internal", "--where", "key=7"]) == [seventh.id])
        #expect(try ids(["--audience", "internal", "--where", "source:name_fa=\(seventh.persianName)"]) == [seventh.id])
        let restricted = try #require(f.sites.first { $0.sensitivity == .restricted })
        let key = try #require(f.sites.firstIndex { $0.id == restricted.id })
        #expect(try ids(["--audience", "partner", "--where", "key=\(key)"]) == [restricted.id])
        // At public they are withheld, and the message says so.
        let hidden = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/p.csv", "--where", "key=7"])
        #expect(hidden.status == 2 && hidden.stderr.contains("source attributes are withheld at public"), "\(hidden.stderr)")
        // The Persian name of a generalised site is no column at public, so it cannot be asked about.
        #expect(try ids(["--where", "name:fa=\(restricted.persianName)"]).isEmpty)
        // At internal every format carries the source record; at public none does.
        try export(["csv", f.store, "-o", d + "/i.csv", "--audience", "internal"])
        try export(["csv", f.store, "-o", d + "/pub.csv"])
        let internalHeader = try String(contentsOfFile: d + "/i.csv", encoding: .utf8).prefix { $0 != "\r\n" }
        let publicHeader = try String(contentsOfFile: d + "/pub.csv", encoding: .utf8).prefix { $0 != "\r\n" }
        #expect(internalHeader.contains("source:key") && internalHeader.contains("source:name_fa") && internalHeader.contains("sensitivity"))
        #expect(!publicHeader.contains("source:") && !publicHeader.contains("sensitivity") && !publicHeader.contains("dataset"))
    }

    @Test func tileArchivesSideBySideKeepTheirOwnSidecars() throws {
        let f = try ExportStoreFixture.make("sidecars")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        for name in ["a.pmtiles", "a.mbtiles"] {
            try export(["tiles", f.store, "-o", d + "/" + name, "--minzoom", "4", "--maxzoom", "9"])
        }
        for name in ["a.pmtiles", "a.mbtiles"] {
            let data = try Data(contentsOf: URL(fileURLWithPath: d + "/" + name + ".manifest.json"))
            let manifest = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let files = try #require(manifest["files"] as? [[String: Any]])
            #expect(Set(files.compactMap { $0["path"] as? String }) == [name, name + ".tilejson.json", name + ".style.json"])
            for file in files {
                let path = d + "/" + (file["path"] as? String ?? "")
                let sum = try runProgram("/usr/bin/sha256sum", [path]).stdout.prefix(64)
                #expect(file["sha256"] as? String == String(sum), "\(name): \(path) still matches its manifest")
            }
            let style = try String(contentsOfFile: d + "/" + name + ".style.json", encoding: .utf8)
            #expect(style.contains(name == "a.pmtiles" ? "pmtiles://a.pmtiles" : "a.mbtiles.tilejson.json"), "\(name)'s style points at its own tiles")
        }
        #expect(!FileManager.default.fileExists(atPath: d + "/a.style.json"))
    }
}
