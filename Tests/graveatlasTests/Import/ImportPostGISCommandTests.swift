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

    /// `graveatlas arguments…` with its temporary files in `temporary` (made if missing), so
    /// that a test can see that nothing is left there while other tests run theirs.
    static func ga(_ arguments: [String], temporary: String) throws -> CommandResult {
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
        return try GraveAtlasCommand.run(arguments, environment: environment)
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
                    let run = try Self.ga(["import", target, file, "--mapping", mapping, "--report", report], temporary: root + "tmp")
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
            let verified = try Self.ga(["audit", "verify", url], temporary: root + "tmp")
            if verified.status != 0 || !verified.stdout.contains("clean") {
                out.append("audit verify: \(verified.stdout) \(verified.stderr)")
            }
            // The database's search words follow its imports: the descriptions each one wrote.
            for words in ["mass grave", "گور جمعی", "ir1988*", "khavaran", "tehran", "رشت"] {
                for audience in ["public", "internal"] {
                    var said: [String] = []
                    for target in [store, url] {
                        let found = try GraveAtlasCommand.run(["query", "search", target, words, "--audience", audience, "--format", "csv"])
                        var ids: [String: Int] = [:]
                        said.append("\(found.status) " + (try Self.normalised(found.stdout, ids: &ids)))
                    }
                    if said[0] != said[1] || !said[0].hasPrefix("0 ") { out.append("search '\(words)' at \(audience): \(said[1]), not \(said[0])") }
                }
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
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let problems = try await CopyCommandTests.withDemoInADatabase { _, url, root in
            var out: [String] = []
            let temporary = root + "tmp"
            let before = root + "before.gpkg"
            _ = try GraveAtlasCommand.run(["copy", url, before])
            // An edit of every site, and a file that is not GeoJSON after it: one transaction, so
            // the edits are not kept either. A dry run writes nothing.
            let edited = try Self.edited(data, "edited ", in: root, name: "edited.geojson")
            let broken = root + "broken.geojson"
            try Data("{\"type\": \"FeatureCollection\", \"features\": [".utf8).write(to: URL(fileURLWithPath: broken))
            let failed = try Self.ga(["import", url, edited, broken, "--mapping", mapping], temporary: temporary)
            if failed.status != 2 || !failed.stderr.contains("broken.geojson") {
                out.append("broken import: status \(failed.status): \(failed.stderr)")
            }
            let dry = try Self.ga(["import", url, edited, "--mapping", mapping, "--dry-run"], temporary: temporary)
            if dry.status != 0 || !dry.stderr.contains("7 updated") { out.append("dry run: \(dry.stderr)") }
            let after = root + "after.gpkg"
            _ = try GraveAtlasCommand.run(["copy", url, after])
            if try CopyCommandTests.dump(before) != CopyCommandTests.dump(after) { out.append("the database changed") }
            // No temporary folder of an import is left behind.
            let left = try FileManager.default.contentsOfDirectory(atPath: temporary)
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// A GeoJSON file of sites keyed by `key`, each with `description`.
    static func sites(_ path: String, _ sites: [(key: String, lon: Double, description: String)]) throws {
        let features = sites.map { site in
            """
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [\(site.lon), 35.7]},
             "properties": {"key": "\(site.key)", "name": "Site \(site.key)", "description": "\(site.description)"}}
            """
        }
        let text = #"{"type": "FeatureCollection", "features": ["# + features.joined(separator: ",\n") + "]}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Four writers import at once, three rounds each: twenty sites of their own dataset (added,
    /// then updated), their own site of a shared dataset, and one site all four update. Eight
    /// readers meanwhile ask `stats` and `audit verify`. A writer refused because another
    /// changed the same site runs again. At the end every update is there: each site's audit
    /// items follow on from one another (none was written over a state it did not read), the
    /// shared site has one update per writer and round, and every reader saw whole imports
    /// only and a clean audit chain.
    @Test func fourWritersAndEightReadersLoseNoUpdate() async throws {
        let folder = try TestFolder()
        let root = folder.path("")
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let url = database.url
        let problems = try await offThePool { () -> [String] in
            var out: [String] = []
            let temporary = root + "tmp"
            _ = try GraveAtlasCommand.run(["init", url])
            let start = root + "common-0.geojson"
            try Self.sites(start, (0..<4).map { ("c\($0)", 51.0 + Double($0) / 100, "start") } + [("shared", 51.5, "start")])
            let first = try GraveAtlasCommand.run(["import", url, start, "--dataset", "common", "--key", "key"])
            if first.status != 0 { return ["first import: \(first.stderr)"] }
            let found = Found()
            let writing = DispatchGroup()
            for w in 0..<4 {
                writing.enter()
                Thread.detachNewThread {
                    defer { writing.leave() }
                    do {
                        for round in 1...3 {
                            let own = root + "w\(w)-\(round).geojson"
                            try Self.sites(own, (0..<20).map { ("w\(w)-\($0)", 52.0 + Double(w) + Double($0) / 100, "round \(round)") })
                            let common = root + "c\(w)-\(round).geojson"
                            try Self.sites(common, [("c\(w)", 51.0 + Double(w) / 100, "w\(w) r\(round)"),
                                                    ("shared", 51.5, "w\(w) r\(round)")])
                            for (file, dataset) in [(own, "w\(w)"), (common, "common")] {
                                var tries = 0
                                while true {
                                    tries += 1
                                    let run = try Self.ga(["import", url, file, "--dataset", dataset, "--key", "key"], temporary: temporary)
                                    if run.status == 0 { break }
                                    guard run.status == 1, run.stderr.contains("run it again"), tries < 60 else {
                                        found.add("writer \(w) round \(round) \(dataset): \(run.status) \(run.stderr)")
                                        break
                                    }
                                    found.conflict()
                                    usleep(useconds_t.random(in: 20_000...150_000))
                                }
                            }
                        }
                    } catch {
                        found.add("writer \(w): \(error)")
                    }
                }
            }
            usleep(100_000)
            let reading = DispatchGroup()
            for r in 0..<8 {
                reading.enter()
                Thread.detachNewThread {
                    defer { reading.leave() }
                    var reads = 0
                    repeat {
                        do {
                            if (r + reads) % 2 == 0 {
                                let stats = try Self.ga(["stats", url], temporary: temporary)
                                let sites = stats.stdout.split(separator: "\n").first { $0.hasPrefix("sites ") }
                                    .flatMap { Int($0.dropFirst(6).trimmingCharacters(in: .whitespaces)) }
                                // Five common sites and twenty a writer: only whole imports are seen.
                                if stats.status != 0 || sites.map({ ($0 - 5) % 20 != 0 || $0 > 85 }) ?? true {
                                    found.add("reader \(r): stats \(stats.status): \(stats.stdout) \(stats.stderr)")
                                }
                            } else {
                                let verified = try Self.ga(["audit", "verify", url], temporary: temporary)
                                if verified.status != 0 || !verified.stdout.contains(": clean") {
                                    found.add("reader \(r): audit verify \(verified.status): \(verified.stdout) \(verified.stderr)")
                                }
                            }
                        } catch {
                            found.add("reader \(r): \(error)")
                        }
                        reads += 1
                        found.read()
                        usleep(100_000)
                    } while writing.wait(timeout: .now()) == .timedOut
                }
            }
            writing.wait()
            reading.wait()
            out += found.problems
            let back = root + "back.gpkg"
            let copied = try GraveAtlasCommand.run(["copy", url, back])
            if copied.status != 0 { return out + ["copy back: \(copied.stderr)"] }
            func ask(_ sql: String) throws -> String {
                try Subprocess.run(["sqlite3", "-readonly", back, sql]).trimmingCharacters(in: .whitespacesAndNewlines)
            }
            // Each site's audit items, in order: each one's content before is the one before's after.
            let broken = try ask("""
                SELECT count(*) FROM audit_items a JOIN audit_items b ON b.entity_id = a.entity_id
                  AND b.seq = (SELECT max(c.seq) FROM audit_items c WHERE c.entity_id = a.entity_id AND c.seq < a.seq)
                WHERE a.entity = 'site' AND a.before_hash IS NOT b.after_hash
                """)
            if broken != "0" { out.append("\(broken) audit items do not follow on from the one before") }
            let updates = try ask("""
                SELECT count(*) FROM audit_items WHERE action = 'update'
                  AND entity_id = (SELECT uuid FROM sites WHERE source_key = 'shared')
                """)
            if updates != "12" { out.append("the shared site was updated \(updates) times, not 12") }
            let last = try ask("SELECT dataset || ' ' || description FROM sites WHERE source_key LIKE 'w%' OR source_key LIKE 'c%' ORDER BY source_key")
            let expected = (0..<4).map { "common w\($0) r3" } + (0..<4).flatMap { w in
                (0..<20).map { "w\(w)-\($0)" }.sorted().map { _ in "w\(w) round 3" } }
            if last.split(separator: "\n").map(String.init) != expected { out.append("the sites end as:\n\(last)") }
            let verified = try Self.ga(["audit", "verify", url], temporary: temporary)
            if !verified.stdout.contains(": clean") { out.append("audit verify: \(verified.stdout)") }
            if found.reads < 8 { out.append("only \(found.reads) reads") }
            let left = try FileManager.default.contentsOfDirectory(atPath: temporary)
            if !left.isEmpty { out.append("left behind: \(left)") }
            print("four writers, eight readers: \(found.conflicts) imports refused and run again, \(found.reads) reads")
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// What the writers and readers found, from their threads.
    final class Found: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [String] = []
        private var refused = 0
        private var done = 0
        func add(_ problem: String) { lock.withLock { list.append(problem) } }
        func conflict() { lock.withLock { refused += 1 } }
        func read() { lock.withLock { done += 1 } }
        var problems: [String] { lock.withLock { list } }
        var conflicts: Int { lock.withLock { refused } }
        var reads: Int { lock.withLock { done } }
    }
}
