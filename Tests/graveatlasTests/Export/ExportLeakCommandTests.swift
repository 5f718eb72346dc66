import TestSupport
import Foundation
import Geometry
import Store
import Testing

/// Issue 13's "No silent leak", through the command line: the store's grid and the refused
/// cell sizes, manifests and column sets that name nothing the public files do not show, and
/// the report of generalised sites that an exactly published site gives away.
@Suite struct ExportLeakCommandTests {
    /// A store made with `init` and two `import`s: dataset `fosas` (public and restricted graves,
    /// one restricted grave named in Catalan only) and dataset `memoria` (a confidential site
    /// named in Kurdish, and a public site on exactly the coordinates of a restricted grave).
    struct Fixture {
        let directory: String
        let store: String
        /// Site id by name.
        let ids: [String: String]
    }

    static func feature(_ name: String, _ sensitivity: String, _ lon: Double, _ lat: Double, key: String,
                        extra: [String: String] = [:]) throws -> String {
        var properties: [String: Any] = ["key": key, "name": name, "sensitivity": sensitivity, "site_type": "mass_grave",
                                         "status": "reported", "description": "DESCRIPTION-\(name)"]
        for (k, v) in extra { properties[k] = v }
        let props = String(decoding: try JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys]), as: UTF8.self)
        return #"{"type":"Feature","properties":\#(props),"geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]}}"#
    }

    static func make(_ label: String, initArguments: [String] = []) throws -> Fixture {
        let dir = NSTemporaryDirectory() + "ga-leak-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let fosas = [
            try feature("FOSA-A", "public", -3.7031, 40.4168, key: "1"),
            try feature("FOSA-B", "restricted", -3.6412, 40.4433, key: "2"),
            try feature("FOSA-C", "restricted", -3.5807, 40.3902, key: "3", extra: ["name_ca": "FOSSA-CATALANA"]),
            try feature("FOSA-D", "public", -3.5203, 40.4711, key: "4"),
        ]
        let memoria = [
            try feature("MEMORIA-K", "confidential", -3.6650, 40.4522, key: "k", extra: ["name_ku": "GORA-KURDI"]),
            // On exactly the coordinates of the restricted FOSA-B.
            try feature("MEMORIA-B", "public", -3.6412, 40.4433, key: "b"),
        ]
        for (name, features) in [("fosas", fosas), ("memoria", memoria)] {
            try Data((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n").utf8)
                .write(to: URL(fileURLWithPath: dir + "/\(name).geojson"))
        }
        try Data("key: key\nnames: {ca: name_ca}\n".utf8).write(to: URL(fileURLWithPath: dir + "/fosas.yaml"))
        try Data("key: key\nnames: {ku: name_ku}\n".utf8).write(to: URL(fileURLWithPath: dir + "/memoria.yaml"))
        let store = dir + "/atlas.gpkg"
        for args in [["init", store] + initArguments,
                     ["import", store, dir + "/fosas.geojson", "--mapping", dir + "/fosas.yaml", "--dataset", "fosas"],
                     ["import", store, dir + "/memoria.geojson", "--mapping", dir + "/memoria.yaml", "--dataset", "memoria"]] {
            let r = try GraveAtlasCommand.run(args)
            guard r.status == 0 else { throw FixtureError("graveatlas \(args.joined(separator: " ")) failed: \(r.stderr)") }
        }
        let opened = try SiteStore(path: store)
        var ids: [String: String] = [:]
        try opened.forEachSite { ids[$0.site.name] = $0.site.id.text }
        try opened.close()
        return Fixture(directory: dir, store: store, ids: ids)
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    // MARK: - The store's grid

    @Test func noCellOptionIsFinerThanTheStoresGridNorCutsAcrossIt() throws {
        let f = try Self.make("grid", initArguments: ["--cell-size", "0.25", "--grid-origin", "-0.05,0"])
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        for (cell, words) in [("1e-9", "finer than the store's grid (0.25° cells from -0.05,0)"), ("0.1", "finer"),
                              ("0.3", "not a whole multiple of the store's grid (0.25° cells from -0.05,0)")] {
            for audience in ["public", "partner"] {
                let r = try GraveAtlasCommand.run(["export", "geojson", f.store, "-o", d + "/x.geojson", "--audience", audience, "--cell-size", cell])
                #expect(r.status == 2 && r.stderr.hasPrefix("graveatlas: --cell-size") && r.stderr.contains(words),
                        "\(audience) \(cell): \(r.status) \(r.stderr)")
                #expect(r.stderr.split(separator: "\n").count == 1)
            }
        }
        #expect(!FileManager.default.fileExists(atPath: d + "/x.geojson"))

        // The store's grid by default, a whole multiple on request: generalised sites sit on
        // the centres of those cells, counted from the store's origin.
        for (cell, args) in [(0.25, [String]()), (0.5, ["--cell-size", "0.5"])] {
            let out = d + "/g\(cell).geojson"
            let r = try GraveAtlasCommand.run(["export", "geojson", f.store, "-o", out] + args)
            #expect(r.status == 0, "\(r.stderr)")
            let features = try Self.json(out)["features"] as? [[String: Any]] ?? []
            let generalised = features.filter { ($0["properties"] as? [String: Any])?["generalised"] as? Bool == true }
            #expect(generalised.count == 2, "FOSA-B and FOSA-C")
            for g in generalised {
                let c = (g["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? []
                #expect((g["properties"] as? [String: Any])?["cell_size_deg"] as? Double == cell)
                let i = (c[0] + 0.05) / cell - 0.5, j = c[1] / cell - 0.5
                #expect(abs(i - i.rounded()) < 1e-9 && abs(j - j.rounded()) < 1e-9, "\(c) is a centre of a \(cell)° cell from -0.05,0")
            }
            let manifest = try Self.json(out + ".manifest.json")
            #expect(manifest["generalisation_cell_deg"] as? Double == cell)
            #expect(manifest["generalisation_origin"] as? [Double] == [-0.05, 0])
        }

        // Queries use the store's grid too.
        let q = try GraveAtlasCommand.run(["query", "near", f.store, "--lon", "-3.6412", "--lat", "40.4433", "--radius", "40000", "--format", "geojson"])
        #expect(q.status == 0, "\(q.stderr)")
        let answer = try JSONSerialization.jsonObject(with: Data(q.stdout.utf8)) as? [String: Any]
        let shown = (answer?["features"] as? [[String: Any]] ?? []).filter { ($0["properties"] as? [String: Any])?["generalised"] as? Bool == true }
        #expect(!shown.isEmpty)
        for g in shown {
            let c = (g["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? []
            let i = (c[0] + 0.05) / 0.25 - 0.5, j = c[1] / 0.25 - 0.5
            #expect(abs(i - i.rounded()) < 1e-9 && abs(j - j.rounded()) < 1e-9, "query: \(c) on the store's grid")
        }
    }

    @Test func settingsShowAndCoarsenTheGridWithAnAuditEntry() throws {
        let f = try Self.make("settings")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let shown = try GraveAtlasCommand.run(["settings", f.store])
        #expect(shown.status == 0 && shown.stdout == "grid: 0.1° cells from 0,0\n", "\(shown.stdout) \(shown.stderr)")
        for refused in [["--cell-size", "0.05"], ["--cell-size", "0.25"], ["--grid-origin", "0.05,0"], ["--cell-size", "0.0001"]] {
            let r = try GraveAtlasCommand.run(["settings", f.store] + refused)
            #expect(r.status == 2 && r.stderr.hasPrefix("graveatlas: ") && r.stderr.split(separator: "\n").count == 1,
                    "\(refused): \(r.stderr)")
        }
        let changed = try GraveAtlasCommand.run(["settings", f.store, "--cell-size", "0.2"])
        #expect(changed.status == 0 && changed.stdout == "grid: 0.2° cells from 0,0 (was 0.1° cells from 0,0)\n", "\(changed.stderr)")
        let store = try SiteStore(path: f.store)
        let entries = try store.auditLog(for: "grid")
        try store.close()
        #expect(entries.map(\.action) == ["setting", "setting"], "init, then the change")
        #expect(entries.last?.detail == "0.2° cells from 0,0 (was 0.1° cells from 0,0)")
        let r = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", f.directory + "/x.csv", "--cell-size", "0.1"])
        #expect(r.status == 2 && r.stderr.contains("0.2° cells"), "\(r.stderr)")
    }

    // MARK: - Manifests and columns

    @Test func publicManifestsAndHeadersNameNothingTheFilesDoNotShow() throws {
        let f = try Self.make("manifest")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        let formats = [("geojson", "p.geojson"), ("csv", "p.csv"), ("kml", "p.kml"), ("gpkg", "p.gpkg"), ("tiles", "p.pmtiles")]
        for (format, name) in formats {
            let r = try GraveAtlasCommand.run(["export", format, f.store, "-o", d + "/" + name])
            #expect(r.status == 0, "\(format): \(r.stderr)")
            // The person running the export is told everything on the console.
            #expect(r.stdout.contains("(3 exact, 2 generalised; 1 withheld, 0 filtered out"), "\(r.stdout)")
            let text = try String(contentsOfFile: d + "/" + name + ".manifest.json", encoding: .utf8)
            let manifest = try Self.json(d + "/" + name + ".manifest.json")
            #expect(manifest["store"] == nil, "\(name): no store identity")
            #expect(!text.contains(f.store) && !text.contains("atlas.gpkg"), "\(name): no store path")
            let counts = manifest["counts"] as? [String: Int] ?? [:]
            #expect(Set(counts.keys).isSubset(of: ["features", "exact", "generalised", "tiles"]), "\(name): \(counts)")
            #expect(counts["features"] == 5 && counts["exact"] == 3 && counts["generalised"] == 2)
            let store = try SiteStore(path: f.store)
            let stamps = try store.auditLog().map(\.at)
            try store.close()
            for at in stamps { #expect(!text.contains(at), "\(name): no audit time \(at)") }
        }

        // Columns come only from what the audience sees: name:ku belongs to the withheld
        // confidential site, name:ca to a restricted (generalised) one.
        let header = try String(contentsOfFile: d + "/p.csv", encoding: .utf8).split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(!header.contains("name:ku") && !header.contains("name:ca") && header.contains("name"), "\(header)")
        let geojson = try String(contentsOfFile: d + "/p.geojson", encoding: .utf8)
        let kml = try String(contentsOfFile: d + "/p.kml", encoding: .utf8)
        for (name, text) in [("geojson", geojson), ("kml", kml)] {
            #expect(!text.contains("name:ku") && !text.contains("name:ca") && !text.contains("GORA-KURDI") && !text.contains("FOSSA-CATALANA"), "\(name)")
        }
        let languages = try runProgram("/usr/bin/ogrinfo", ["-q", "-ro", d + "/p.gpkg", "-sql", "SELECT DISTINCT lang FROM site_names"])
        #expect(!languages.stdout.contains("ku") && !languages.stdout.contains("ca"), "\(languages.stdout)")
        // Partner sees the restricted site exactly, so name:ca, but not the confidential one's name:ku.
        _ = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/partner.csv", "--audience", "partner"])
        let partner = try String(contentsOfFile: d + "/partner.csv", encoding: .utf8).split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(partner.contains("name:ca") && !partner.contains("name:ku"), "\(partner)")
        _ = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/internal.csv", "--audience", "internal"])
        let all = try String(contentsOfFile: d + "/internal.csv", encoding: .utf8).split(separator: "\r\n").first.map(String.init) ?? ""
        #expect(all.contains("name:ca") && all.contains("name:ku"), "the test can fail: \(all)")

        // A filter on a field the public sees on no site is refused; with a public site named
        // in Kurdish, the filter runs but its value stays out of the manifest.
        let refused = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/ku.csv", "--where", "name:ku=GORA-KURDI"])
        #expect(refused.status == 2 && !FileManager.default.fileExists(atPath: d + "/ku.csv.manifest.json"))
        let store = try SiteStore(path: f.store)
        let openID = try #require(UUID(uuidString: f.ids["FOSA-A"] ?? ""))
        var open = try #require(try store.site(id: openID))
        open.names.append(SiteName(language: "ku", name: "GORA-GISTI"))
        try store.update(open)
        try store.close()
        let filtered = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/ku.csv", "--where", "name:ku=GORA-KURDI"])
        #expect(filtered.status == 0, "\(filtered.stderr)")
        let text = try String(contentsOfFile: d + "/ku.csv.manifest.json", encoding: .utf8)
        let kuManifest = try Self.json(d + "/ku.csv.manifest.json")
        #expect(!text.contains("GORA-KURDI") && kuManifest["filters"] as? [String] == ["name:ku"], "\(text)")
        let internalRun = try GraveAtlasCommand.run(["export", "csv", f.store, "-o", d + "/ku-internal.csv", "--audience", "internal", "--where", "name:ku=GORA-KURDI"])
        #expect(internalRun.status == 0)
        let internalManifest = try Self.json(d + "/ku-internal.csv.manifest.json")
        #expect(internalManifest["filters"] as? [String] == ["name:ku=GORA-KURDI"])
        #expect((internalManifest["store"] as? [String: Any])?["path"] != nil && (internalManifest["counts"] as? [String: Int])?["withheld"] == 0)
    }

    // MARK: - Order

    /// The issue's attack end to end: a file sorted by place, every other grave restricted and
    /// on (almost) the coordinates of the open grave before it, imported with `graveatlas
    /// import`; the public CSV and GeoJSON, and a `query within` answer, read back by GDAL, are
    /// listed cell by cell in an order that recovers no more than chance, while the import
    /// order would give nearly all away.
    @Test func publicOrderRecoversNoMoreThanChance() throws {
        let dir = NSTemporaryDirectory() + "ga-leak-order-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var rng = SplitMix64(seed: 1936)
        var localities = (0..<300).map { _ in
            Position(x: Double.random(in: -3.98 ... -3.82, using: &rng), y: Double.random(in: 40.02...40.18, using: &rng))
        }
        localities.sort { ($0.x, $0.y) < ($1.x, $1.y) }
        var features: [String] = [], truth: [String: Position] = [:], fileOrder: [(key: String, position: Position, restricted: Bool)] = []
        for (k, p) in localities.enumerated() {
            let twin = Position(x: p.x + 0.000003, y: p.y + 0.000002)
            features.append(try Self.feature("FOSA-\(k)", "public", p.x, p.y, key: "\(k)-p"))
            features.append(try Self.feature("FOSA-\(k)-R", "restricted", twin.x, twin.y, key: "\(k)-r"))
            truth["FOSA-\(k)-R"] = twin
            fileOrder += [("FOSA-\(k)", p, false), ("FOSA-\(k)-R", twin, true)]
        }
        try Data((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n").utf8)
            .write(to: URL(fileURLWithPath: dir + "/fosas.geojson"))
        try Data("key: key\n".utf8).write(to: URL(fileURLWithPath: dir + "/m.yaml"))
        let store = dir + "/atlas.gpkg"
        for args in [["init", store], ["import", store, dir + "/fosas.geojson", "--mapping", dir + "/m.yaml"]] {
            let r = try GraveAtlasCommand.run(args)
            #expect(r.status == 0, "\(r.stderr)")
        }
        let opened = try SiteStore(path: store)
        var names: [String: String] = [:]
        try opened.forEachSite { names[$0.site.id.uuidString] = $0.site.name }
        try opened.close()
        let truthByID = Dictionary(uniqueKeysWithValues: names.compactMap { id, name in truth[name].map { (id, $0) } })

        /// Each restricted site guessed at the exact site just before or after it: how many within 1 m.
        func recovered(_ listing: [(id: String, position: Position, generalised: Bool)]) -> Int {
            var hits = 0
            for (i, f) in listing.enumerated() where f.generalised {
                guard let actual = truthByID[f.id] ?? truth[f.id] else { continue }
                let before = listing[..<i].last { !$0.generalised }, after = listing[(i + 1)...].first { !$0.generalised }
                if [before, after].contains(where: { $0.map { FixtureShapes.metres($0.position, actual) <= 1 } ?? false }) { hits += 1 }
            }
            return hits
        }
        #expect(recovered(fileOrder.map { ($0.key, $0.position, $0.restricted) }) >= 290, "the file's order gives them away")

        // The exports, and a query's answer (within an area holding every site).
        let area = dir + "/area.geojson"
        try Data(#"{"type":"Polygon","coordinates":[[[-4.1,39.9],[-3.7,39.9],[-3.7,40.3],[-4.1,40.3],[-4.1,39.9]]]}"#.utf8)
            .write(to: URL(fileURLWithPath: area))
        let csvOptions = ["GEOM_POSSIBLE_NAMES=wkt", "KEEP_GEOM_COLUMNS=NO"]
        for (arguments, name, options) in [
            (["export", "csv", store], "p.csv", csvOptions), (["export", "geojson", store], "p.geojson", []),
            (["query", "within", store, "--area", area, "--format", "csv"], "w.csv", csvOptions),
        ] {
            let r = try GraveAtlasCommand.run(arguments + ["-o", dir + "/" + name])
            #expect(r.status == 0, "\(r.stderr)")
            // GDAL reads the order and positions; a GeoJSON feature's id is its member, read here.
            let ids = name.hasSuffix(".geojson")
                ? (try Self.json(dir + "/" + name)["features"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")" } : []
            let listing = try ExportOracle.features(dir + "/" + name, openOptions: options).enumerated().map { k, f in
                (id: ids.isEmpty ? "\(f.properties["id"] ?? "")" : ids[k], position: f.positions.first ?? Position(x: .nan, y: .nan),
                 generalised: f.properties["generalised"] as? Bool == true || "\(f.properties["generalised"] ?? "")" == "true")
            }
            #expect(listing.count == 600 && listing.filter(\.generalised).count == 300, "\(name)")
            #expect(listing.filter(\.generalised).allSatisfy { truthByID[$0.id] != nil }, "\(name): every restricted site is known by its id")
            let hits = recovered(listing)
            #expect(hits <= 300 * 6 / 100, "\(name): the order recovers \(hits) of 300 restricted sites")
        }
    }

    // MARK: - Co-located sites

    @Test func generalisedSitesOnAnExactSitesCoordinatesAreReported() throws {
        let f = try Self.make("colocated")
        defer { try? FileManager.default.removeItem(atPath: f.directory) }
        let d = f.directory
        let restricted = try #require(f.ids["FOSA-B"]), open = try #require(f.ids["MEMORIA-B"])
        let r = try GraveAtlasCommand.run(["export", "geojson", f.store, "-o", d + "/p.geojson"])
        #expect(r.status == 0)
        let warnings = r.stderr.split(separator: "\n")
        #expect(warnings == ["warning: restricted site \(restricted) is generalised for the public audience but lies 0.0 m from site \(open), shown exactly: its place is given away"],
                "\(r.stderr)")
        #expect(r.stdout.contains("; 1 generalised sites lie within 50 m of a site shown exactly, see stderr"), "\(r.stdout)")
        // Not in the files.
        for file in ["p.geojson", "p.geojson.manifest.json"] {
            let text = try String(contentsOfFile: d + "/" + file, encoding: .utf8)
            #expect(!text.contains("warning") && !text.contains("given away"), "\(file)")
        }
        // FOSA-C, 5 km from anything exact, is not reported; at internal nothing is generalised.
        #expect(!r.stderr.contains(f.ids["FOSA-C"] ?? "?"))
        let all = try GraveAtlasCommand.run(["export", "geojson", f.store, "-o", d + "/i.geojson", "--audience", "internal"])
        #expect(all.status == 0 && all.stderr.isEmpty)
    }
}
