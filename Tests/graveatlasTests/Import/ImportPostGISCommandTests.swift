import Foundation
import Store
import TestSupport
import Testing

/// `graveatlas import postgresql://…`: the file's import run on a private copy of the database,
/// its changes written back in one transaction. The same imports into a GeoPackage and into a
/// database give the same report and the same store; a failed one leaves the database as it
/// was; and four writers with eight readers at once lose no update.
@Suite struct ImportPostGISCommandTests {
    /// The demo data with each site's description made `text` + its key, in `folder`.
    static func edited(_ data: String, _ text: String, in folder: String, name: String) throws -> String {
        let path = folder + name
        try Subprocess.run(["python3", "-c", """
            import json, sys
            d = json.load(open(sys.argv[1], encoding='utf-8'))
            for f in d['features']: f['properties']['description'] = sys.argv[3] + f['properties']['site_key']
            json.dump(d, open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False)
            """, data, path, text])
        return path
    }

    /// What stderr says of an import, without the lines that name where the store was read and
    /// written (a database's import says so; a file's does not).
    static func said(_ stderr: String) -> [String] {
        stderr.split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("reading postgresql://") && !$0.hasPrefix("writing the changes into") }
    }

    /// `text` with every id replaced by the order it first appears in (`ids` carries the order
    /// from one text to the next), every time by `T`, and every hash and the published order's
    /// salt by `H` (they hash ids and times): what two stores written by the same imports at
    /// other moments, or their reports, have in common.
    static func normalised(_ text: String, ids: inout [String: Int]) throws -> String {
        let uuid = try Regex("[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}")
        let time = try Regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z")
        let hash = try Regex("X'[0-9A-Fa-f]+'|[0-9a-f]{64}|'order_salt','[0-9a-f]+'")
        var out = text.replacing(time) { _ in "T" }
        out = out.replacing(hash) { _ in "H" }
        var seen = ids
        out = out.replacing(uuid) { match in
            let id = String(match.output[0].substring ?? "").uppercased()
            if seen[id] == nil { seen[id] = seen.count }
            return "id\(seen[id] ?? -1)"
        }
        ids = seen
        return out
    }

    /// `CopyCommandTests.dump`, `normalised`.
    static func normalisedDump(_ path: String) throws -> [String: String] {
        let dump = try CopyCommandTests.dump(path)
        var ids: [String: Int] = [:]
        var out: [String: String] = [:]
        for table in StoreTable.copied.map(\.name) { out[table] = try normalised(dump[table] ?? "", ids: &ids) }
        // An entry lists its sites in the order of their ids, which each store drew at random:
        // the listing is compared as a set (without the row keys).
        out[StoreTable.auditItems.name] = out[StoreTable.auditItems.name].map { text in
            text.split(separator: "\n").map { $0.drop { $0 != "," } }.sorted().joined(separator: "\n")
        }
        return out
    }

    @Test func importIntoADatabaseIsImportIntoTheFile() async throws {
        let folder = try TestFolder()
        let store = folder.path("atlas.gpkg")
        let back = folder.path("back.gpkg")
        let root = folder.path("")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let problems = try await offThePool { () -> [String] in
            var out: [String] = []
            for target in [store, url] {
                let made = try GraveAtlasCommand.run(["init", target])
                if made.status != 0 { out.append("init \(target): \(made.stderr)") }
            }
            let persian = try Self.edited(data, "گور جمعی ", in: root, name: "persian.geojson")
            let english = try Self.edited(data, "Mass grave ", in: root, name: "english.geojson")
            // New sites, their update, the same update again (nothing to do), another update.
            for (step, file) in [data, persian, persian, english].enumerated() {
                var answers: [(status: Int32, said: [String], report: String)] = []
                for target in [store, url] {
                    let report = root + "report-\(step)-\(target == store ? "file" : "db").json"
                    let run = try GraveAtlasCommand.run(["import", target, file, "--mapping", mapping, "--report", report])
                    let json = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
                    var ids: [String: Int] = [:]
                    answers.append((run.status, try Self.said(run.stderr).map { try Self.normalised($0, ids: &ids) },
                                    try Self.normalised(json, ids: &ids)))
                }
                if answers[0].status != 0 || answers[1].status != 0 {
                    out.append("step \(step): statuses \(answers[0].status), \(answers[1].status): \(answers[1].said)")
                }
                if answers[0].said != answers[1].said { out.append("step \(step): said \(answers[1].said), not \(answers[0].said)") }
                if answers[0].report != answers[1].report || answers[0].report.isEmpty {
                    out.append("step \(step): the reports differ:\n\(answers[1].report)\n\(answers[0].report)")
                }
            }
            let verified = try GraveAtlasCommand.run(["audit", "verify", url])
            if verified.status != 0 || !verified.stdout.contains("clean") {
                out.append("audit verify: \(verified.stdout) \(verified.stderr)")
            }
            let copied = try GraveAtlasCommand.run(["copy", url, back])
            if copied.status != 0 { out.append("copy back: \(copied.stderr)"); return out }
            let (file, db) = (try Self.normalisedDump(store), try Self.normalisedDump(back))
            for table in StoreTable.copied.map(\.name) where file[table] != db[table] {
                out.append("\(table) differs:\n\(db[table] ?? "")\nnot\n\(file[table] ?? "")")
            }
            // Four imports: the audit log holds the grid's entry and one per import, as the file's.
            let entries = try Subprocess.run(["sqlite3", "-readonly", back, "SELECT count(*) FROM audit_log"])
            if entries.trimmingCharacters(in: .whitespacesAndNewlines) != "5" { out.append("\(entries) audit entries, not 5") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func anImportThatFailsLeavesTheDatabaseAsItWas() async throws {
        let folder = try TestFolder()
        let root = folder.path("")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let problems = try await offThePool { () -> [String] in
            var out: [String] = []
            _ = try GraveAtlasCommand.run(["init", url])
            let first = try GraveAtlasCommand.run(["import", url, data, "--mapping", mapping])
            if first.status != 0 { return ["import: \(first.stderr)"] }
            let before = root + "before.gpkg"
            _ = try GraveAtlasCommand.run(["copy", url, before])
            // An edit of every site, and a file that is not GeoJSON after it: one transaction, so
            // the edits are not kept either. A dry run writes nothing.
            let edited = try Self.edited(data, "edited ", in: root, name: "edited.geojson")
            let broken = root + "broken.geojson"
            try Data("{\"type\": \"FeatureCollection\", \"features\": [".utf8).write(to: URL(fileURLWithPath: broken))
            let failed = try GraveAtlasCommand.run(["import", url, edited, broken, "--mapping", mapping])
            if failed.status != 2 || !failed.stderr.contains("broken.geojson") {
                out.append("broken import: status \(failed.status): \(failed.stderr)")
            }
            let dry = try GraveAtlasCommand.run(["import", url, edited, "--mapping", mapping, "--dry-run"])
            if dry.status != 0 || !dry.stderr.contains("7 updated") { out.append("dry run: \(dry.stderr)") }
            let after = root + "after.gpkg"
            _ = try GraveAtlasCommand.run(["copy", url, after])
            if try CopyCommandTests.dump(before) != CopyCommandTests.dump(after) { out.append("the database changed") }
            // No temporary folder of an import is left behind.
            let left = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
                .filter { $0.hasPrefix("graveatlas-import-") }
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
