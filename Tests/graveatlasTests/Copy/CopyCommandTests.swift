import Foundation
import Store
import TestSupport
import Testing

/// `graveatlas copy` between a GeoPackage and PostGIS, both ways, on the demo store built from
/// `geodata/`: the GeoPackage that comes back holds the same rows as the one that went out
/// (sqlite3 reads both), and answers queries the same.
@Suite struct CopyCommandTests {
    /// Every row of the tables a copy carries, as sqlite3 prints them (blobs as hex).
    static func dump(_ path: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for table in StoreTable.copied {
            let condition = table.name == "store_metadata"
                ? " WHERE key IN (\(StoreTable.settingKeys.map { "'\($0)'" }.joined(separator: ", ")))" : ""
            out[table.name] = try Subprocess.run(["sqlite3", "-readonly", path, ".mode quote",
                                                  "SELECT \(table.quotedColumnList) FROM \(table.name)\(condition) ORDER BY \(table.key)"])
        }
        return out
    }

    /// The demo store built from `geodata/` in a new folder, `edit` run on it (given the store
    /// and the folder), then copied into a new database; `body` is given the store, the
    /// database's URL and the folder, off the shared pool, and says what it found wrong.
    static func withDemoInADatabase(edit: (@Sendable (_ store: String, _ folder: String) throws -> [String])? = nil,
                                    _ body: @escaping @Sendable (_ store: String, _ url: String, _ folder: String) throws -> [String])
        async throws -> [String] {
        let folder = try TestFolder()
        let store = folder.path("demo.gpkg")
        let root = folder.path("")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        return try await offThePool { () -> [String] in
            _ = try GraveAtlasCommand.run(["init", store])
            let imported = try GraveAtlasCommand.run(["import", store, data, "--mapping", mapping])
            guard imported.status == 0 else { return ["import: \(imported.stderr)"] }
            let edited = try edit?(store, root) ?? []
            guard edited.isEmpty else { return edited }
            let copied = try GraveAtlasCommand.run(["copy", store, url])
            guard copied.status == 0 else { return ["copy: \(copied.stderr)"] }
            return try body(store, url, root)
        }
    }

    @Test func demoStoreGoesToPostGISAndComesBackTheSame() async throws {
        let folder = try TestFolder()
        let store = folder.path("demo.gpkg")
        let back = folder.path("back.gpkg")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let imported = try GraveAtlasCommand.run(["import", store, data, "--mapping", mapping])
        #expect(imported.status == 0, "\(imported.stderr)")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }

        let into = try GraveAtlasCommand.run(["copy", store, database.url])
        #expect(into.status == 0, "\(into.stderr)")
        #expect(into.stdout.hasPrefix("copied 7 sites, ") && into.stdout.contains("7 events, 1 sources"), "\(into.stdout)")
        let out = try GraveAtlasCommand.run(["copy", database.url, back])
        #expect(out.status == 0, "\(out.stderr)")

        let before = try Self.dump(store)
        let after = try Self.dump(back)
        for table in StoreTable.copied {
            #expect(before[table.name] == after[table.name], "\(table.name)")
        }
        #expect(before["sites"]?.split(separator: "\n").count == 7)
        #expect(before["audit_items"]?.split(separator: "\n").count ?? 0 >= 7)

        // The audit chain came back whole: audit verify finds nothing, and names the same head.
        let verifyA = try GraveAtlasCommand.run(["audit", "verify", store])
        let verifyB = try GraveAtlasCommand.run(["audit", "verify", back])
        #expect(verifyA.status == 0 && verifyB.status == 0, "\(verifyB.stdout)\(verifyB.stderr)")
        #expect(verifyA.stdout == verifyB.stdout && !verifyB.stdout.isEmpty, "\(verifyA.stdout) | \(verifyB.stdout)")

        // The same answers from both files.
        let near = ["--lon", "51.4", "--lat", "35.7", "--radius", "900000", "--format", "json", "--audience", "internal"]
        let nearA = try GraveAtlasCommand.run(["query", "near", store] + near)
        let nearB = try GraveAtlasCommand.run(["query", "near", back] + near)
        #expect(nearA.status == 0 && nearA.stdout == nearB.stdout && nearA.stdout.contains("distance_m"), "\(nearA.stderr)")
        for (path, name) in [(store, "a.geojson"), (back, "b.geojson")] {
            let export = try GraveAtlasCommand.run(["export", "geojson", path, "-o", folder.path(name), "--audience", "public"])
            #expect(export.status == 0, "\(export.stderr)")
        }
        let exportA = try Data(contentsOf: URL(fileURLWithPath: folder.path("a.geojson")))
        let exportB = try Data(contentsOf: URL(fileURLWithPath: folder.path("b.geojson")))
        #expect(exportA == exportB && !exportA.isEmpty)

        // GDAL opens the copy as a GeoPackage.
        let info = try Subprocess.run(["ogrinfo", "-ro", "-so", back, "sites"])
        #expect(info.contains("Feature Count: 7"), "\(info)")

        // Again into the same database: refused, exit 2, nothing changed.
        let again = try GraveAtlasCommand.run(["copy", store, database.url])
        #expect(again.status == 2 && again.stderr.contains("already holds a GraveAtlas store"), "\(again.stderr)")
    }

    @Test func aURLThatCannotBeUsedIsBadInputAndItsPasswordIsNeverShown() throws {
        let folder = try TestFolder()
        let store = folder.path("empty.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let bad = try GraveAtlasCommand.run(["copy", store, "postgresql://ana:topsecret@db:70000/atlas"])
        #expect(bad.status == 2 && bad.stderr.contains("port") && !bad.stderr.contains("topsecret"), "\(bad.stderr)")
        let absent = try GraveAtlasCommand.run(["copy", store, "postgresql://ana:topsecret@/atlas?host=/nonexistent-folder"])
        #expect(absent.status == 1 && absent.stderr.contains("cannot connect") && !absent.stderr.contains("topsecret"), "\(absent.stderr)")
    }

    /// `init URL` makes in the database the store `init FILE` makes: the same grid, the same
    /// audit entries (`audit verify` of its copy back names the same kind of chain), and a
    /// store every command then reads. A database that holds one already is refused, and so is
    /// `--force`, in one line with exit 2, leaving the database as it was.
    @Test func initMakesTheFilesStoreInADatabaseAndRefusesOneThatHoldsAStore() async throws {
        let folder = try TestFolder()
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let file = folder.path("new.gpkg"), back = folder.path("back.gpkg")
        let grid = ["--cell-size", "0.25", "--grid-origin", "-3.7,40.4"]
        let problems = try await offThePool { () -> [String] in
            var out: [String] = []
            let onFile = try GraveAtlasCommand.run(["init", file] + grid)
            let onDatabase = try GraveAtlasCommand.run(["init", database.url] + grid)
            guard onFile.status == 0, onDatabase.status == 0 else { return ["init: \(onFile.stderr) \(onDatabase.stderr)"] }
            let said = onDatabase.stdout.split(separator: " ", maxSplits: 2)
            if onFile.stdout.split(separator: " ", maxSplits: 2).last != said.last {
                out.append("the grids said differ: \(onFile.stdout) | \(onDatabase.stdout)")
            }
            let statsBefore = try GraveAtlasCommand.run(["stats", database.url, "--format", "json"])
            if statsBefore.status != 0 { out.append("stats: \(statsBefore.stderr)") }
            for again in [["init", database.url], ["init", database.url, "--force"]] {
                let refused = try GraveAtlasCommand.run(again + grid)
                let lines = refused.stderr.split(separator: "\n")
                if refused.status != 2 || lines.count != 1 || refused.stdout != "" {
                    out.append("\(again): exit \(refused.status), \(refused.stderr)")
                }
            }
            let statsAfter = try GraveAtlasCommand.run(["stats", database.url, "--format", "json"])
            if statsAfter.stdout != statsBefore.stdout { out.append("a refused init changed the database") }
            let copied = try GraveAtlasCommand.run(["copy", database.url, back])
            if copied.status != 0 { out.append("copy: \(copied.stderr)") }
            let verify = try GraveAtlasCommand.run(["audit", "verify", back])
            if verify.status != 0 { out.append("audit verify: \(verify.stdout)\(verify.stderr)") }
            let a = try SiteStore(path: file, access: .readOnly), b = try SiteStore(path: back, access: .readOnly)
            defer { try? a.close(); try? b.close() }
            if try a.grid() != b.grid() || a.grid().cellSize != 0.25 { out.append("grids: \(try a.grid()) | \(try b.grid())") }
            let entries = try [a, b].map { try $0.auditLog().map(\.action) }
            if entries[0] != entries[1] || entries[0].isEmpty { out.append("audit entries: \(entries)") }
            // Each made its own ordering secret (a store without one would give the fixed unsalted text).
            if try a.orderSalt() == b.orderSalt() { out.append("the ordering secrets are the same") }
            return out
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// `audit verify URL` finds in the database what `audit verify` finds in the file it was
    /// copied from: clean, the same summary line; then, after the same name is edited outside
    /// GraveAtlas in each (sqlite3, psql), the same problem line and exit 1. Its temporary copy
    /// is gone afterwards.
    @Test func auditVerifyOnADatabaseFindsWhatItFindsInTheFile() async throws {
        let problems = try await Self.withDemoInADatabase { store, url, _ in
            var out: [String] = []
            let before = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
            var runs = [try GraveAtlasCommand.run(["audit", "verify", store]), try GraveAtlasCommand.run(["audit", "verify", url])]
            if runs.map(\.status) != [0, 0] || runs[0].stdout != runs[1].stdout || !runs[0].stdout.hasSuffix(": clean\n") {
                out.append("clean: \(runs.map { "\($0.status) \($0.stdout)\($0.stderr)" })")
            }
            let site = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT site_id FROM site_names ORDER BY id LIMIT 1"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !site.isEmpty else { return out + ["the demo store has no names"] }
            try Subprocess.run(["sqlite3", store, "UPDATE site_names SET name = 'renamed outside' WHERE site_id = '\(site)'"])
            try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                                "UPDATE site_names SET name = 'renamed outside' WHERE site_id = '\(site)'"])
            runs = [try GraveAtlasCommand.run(["audit", "verify", store]), try GraveAtlasCommand.run(["audit", "verify", url])]
            if runs.map(\.status) != [1, 1] || runs[0].stdout != runs[1].stdout || !runs[1].stdout.contains(site) {
                out.append("renamed: \(runs.map { "\($0.status) \($0.stdout)\($0.stderr)" })")
            }
            let after = Set(try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()))
            let left = after.subtracting(before).filter { $0.hasPrefix("graveatlas-audit-") }
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// `audit log` on the database prints what it prints on the file the database was copied
    /// from, in every format, for the whole log, one site's history, entries since a time, and
    /// a site no entry names; so does `site show` for every site.
    @Test func auditLogAndSiteShowOnADatabaseAreTheFiles() async throws {
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        // The same sites again with new descriptions in Persian: an update entry per site, with
        // each site's content before and after.
        let edit: @Sendable (String, String) throws -> [String] = { store, folder in
            let edited = folder + "edited.geojson"
            try Subprocess.run(["python3", "-c", """
                import json, sys
                d = json.load(open(sys.argv[1], encoding='utf-8'))
                for f in d['features']: f['properties']['description'] = 'گور جمعی ' + f['properties']['site_key']
                json.dump(d, open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False)
                """, data, edited])
            let updated = try GraveAtlasCommand.run(["import", store, edited, "--mapping", mapping])
            return updated.status == 0 ? [] : ["update: \(updated.stderr)"]
        }
        let problems = try await Self.withDemoInADatabase(edit: edit) { store, url, _ in
            var out: [String] = []
            // A site with events, in the case the store keeps its id in.
            let site = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT site_id FROM site_events ORDER BY id LIMIT 1"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            guard !site.isEmpty else { return ["the demo store has no events"] }
            let first = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT max(at) FROM audit_log"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            var asked: [[String]] = []
            for format in ["table", "csv", "json"] {
                asked += [["--format", format], ["--format", format, "--site", site], ["--format", format, "--site", site.lowercased()],
                          ["--format", format, "--since", first], ["--format", format, "--since", "2999-01-01"],
                          ["--format", format, "--site", UUID().uuidString]]
            }
            var printed: [[String]: String] = [:]
            for arguments in asked {
                let file = try GraveAtlasCommand.run(["audit", "log", store] + arguments)
                let db = try GraveAtlasCommand.run(["audit", "log", url] + arguments)
                printed[arguments] = file.stdout
                if file.status != 0 || db.status != 0 || file.stdout != db.stdout {
                    out.append("\(arguments): \(file.status) \(db.status)\n\(file.stdout)\(file.stderr)\n---\n\(db.stdout)\(db.stderr)")
                }
            }
            // `site show`: every site, and an id no site or entry has.
            let sites = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT uuid FROM sites ORDER BY fid"])
                .split(separator: "\n").map(String.init)
            for id in sites + [site.lowercased()] {
                for format in ["table", "json"] {
                    let file = try GraveAtlasCommand.run(["site", "show", store, id, "--format", format])
                    let db = try GraveAtlasCommand.run(["site", "show", url, id, "--format", format])
                    if file.status != 0 || db.status != 0 || file.stdout != db.stdout {
                        out.append("site show \(id) \(format): \(file.status) \(db.status)\n\(file.stdout)\(file.stderr)\n---\n\(db.stdout)\(db.stderr)")
                    }
                }
            }
            let shown = try GraveAtlasCommand.run(["site", "show", url, site, "--format", "json"]).stdout
            if !shown.contains("damaged") || !shown.contains("Amnesty") || !shown.contains("گور جمعی") { out.append("site show: \(shown)") }
            let unknown = try GraveAtlasCommand.run(["site", "show", url, UUID().uuidString])
            if unknown.status != 2 || !unknown.stdout.isEmpty || !unknown.stderr.contains("no site has the id") {
                out.append("an unknown site: \(unknown.status) \(unknown.stderr)")
            }
            // What was compared holds what it should: the site's update with its Persian
            // description after, the whole log's three entries, the last one since its time.
            let history = printed[["--format", "json", "--site", site]] ?? ""
            if !history.contains("\"update\"") || !history.contains("گور جمعی") { out.append("the site's history: \(history)") }
            if printed[["--format", "csv"]]?.split(separator: "\r\n").count != 4 { out.append("the log: \(printed[["--format", "csv"]] ?? "")") }
            if printed[["--format", "csv", "--since", first]]?.split(separator: "\r\n").count != 2 { out.append("since \(first)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems)")
    }

    /// `export map` of a database writes the map of the file it was copied from, file for
    /// file (but for the time each manifest says it was made), at every audience.
    @Test func exportMapOfADatabaseIsTheFilesMap() async throws {
        let problems = try await Self.withDemoInADatabase { store, url, root in
            var out: [String] = []
            for audience in ["public", "internal"] {
                let maps = [root + "file-\(audience)", root + "db-\(audience)"]
                for (source, map) in zip([store, url], maps) {
                    let run = try GraveAtlasCommand.run(["export", "map", source, "-o", map, "--web", ExportMapTests.web, "--audience", audience])
                    if run.status != 0 { out.append("\(source): \(run.stderr)") }
                }
                // Every file the same, the creation times aside, and the store an internal
                // manifest names: the file, or the database.
                let diff = try Subprocess.run(["sh", "-c", "diff -r \"$0\" \"$1\" | grep '^[<>]' | grep -v -e '\"created\"' -e '\"path\"' -e '\"database\"' -e '\"last_change\"' || true", maps[0], maps[1]])
                if !diff.isEmpty { out.append("\(audience): \(diff.prefix(2_000))") }
                // The database is named as `export tiles` of the database names it.
                let tiles = root + "tiles-\(audience)"
                let exported = try GraveAtlasCommand.run(["export", "tiles", url, "-o", tiles, "--audience", audience])
                let stores = try [maps[1] + "/tiles.manifest.json", tiles + ".manifest.json"].map { path in
                    try Subprocess.run(["python3", "-c", "import json, sys; print(json.dumps(json.load(open(sys.argv[1])).get('store'), sort_keys=True))", path])
                }
                if exported.status != 0 || stores[0] != stores[1] || (audience == "internal") != stores[0].contains("\"database\"") {
                    out.append("\(audience): the store named \(stores) \(exported.stderr)")
                }
                let files = try FileManager.default.subpathsOfDirectory(atPath: maps[1]).filter { $0.hasSuffix(".mvt") }
                if files.count < 20 { out.append("\(audience): only \(files.count) tiles") }
            }
            // The snapshot was removed.
            let left = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory()).filter { $0.hasPrefix("graveatlas-map-") }
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems)")
    }
}
