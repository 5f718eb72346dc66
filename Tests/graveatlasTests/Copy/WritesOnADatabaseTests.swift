import Foundation
import Store
import TestSupport
import Testing

/// `audit accept` and `source add|verify` on a `postgresql://` store answer as on the file the
/// database was copied from: the same edit made outside GraveAtlas in each, accepted the same
/// way; a source with its evidence file recorded in each, kept and checked.
@Suite struct WritesOnADatabaseTests {
    @Test func auditAcceptOnADatabaseIsTheFiles() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { store, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            // The same edit outside GraveAtlas: a site renamed with GDAL and with psql.
            let site = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT uuid FROM sites ORDER BY fid LIMIT 1"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            try Subprocess.run(["ogrinfo", store, "-sql", "UPDATE sites SET name = 'Khavaran (renamed)' WHERE uuid = '\(site)'"])
            try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
                                "UPDATE sites SET name = 'Khavaran (renamed)' WHERE uuid = '\(site)'"])
            func answers(_ target: String) throws -> [String] {
                var said: [String] = []
                for arguments in [["audit", "verify", target], ["audit", "accept", target, "--by", "reviewer"],
                                  ["audit", "accept", target, "--by", "reviewer"], ["audit", "verify", target]] {
                    let run = try ImportPostGISCommandTests.ga(arguments, temporary: temporary)
                    // The chain's head names the hashes of entries made at other moments.
                    let stdout = run.stdout.replacing(try Regex("head [0-9a-f]{64}"), with: "head H")
                    said.append("\(arguments[1]) \(run.status): \(stdout)")
                }
                return said
            }
            let (file, db) = (try answers(store), try answers(url))
            if file != db { out.append("the database answered\n\(db)\nnot\n\(file)") }
            if !(file.first?.contains("changed outside GraveAtlas") ?? false) || !file[1].contains("accepted 1 row by reviewer")
                || !file[2].contains("nothing to accept") || !file[3].contains(": clean") {
                out.append("the file answered \(file)")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func sourceAddAndVerifyOnADatabaseKeepTheEvidenceInTheFolderGiven() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { store, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            let evidence = folder + "db-evidence"
            let photo = folder + "khavaran-2021.jpg"
            try Data("not really a photograph of Khavaran".utf8).write(to: URL(fileURLWithPath: photo))
            let site = try Subprocess.run(["sqlite3", "-readonly", store, "SELECT uuid FROM sites ORDER BY fid LIMIT 1"])
                .trimmingCharacters(in: .whitespacesAndNewlines)
            // Without a folder for the evidence, a database refuses the file and writes nothing.
            let refused = try ImportPostGISCommandTests.ga(["source", "add", url, "--title", "Satellite image 2021",
                                                            "--file", photo, "--site", site], temporary: temporary)
            if refused.status != 2 || !refused.stderr.contains("--evidence") { out.append("no folder: \(refused.status) \(refused.stderr)") }
            var said: [String] = []
            for (target, extra) in [(store, [String]()), (url, ["--evidence", evidence])] {
                let added = try ImportPostGISCommandTests.ga(["source", "add", target, "--title", "Satellite image 2021",
                                                              "--file", photo, "--site", site] + extra, temporary: temporary)
                let verified = try ImportPostGISCommandTests.ga(["source", "verify", target] + extra, temporary: temporary)
                let shown = try ImportPostGISCommandTests.ga(["site", "show", target, site, "--format", "json"], temporary: temporary)
                let audit = try ImportPostGISCommandTests.ga(["audit", "verify", target], temporary: temporary)
                if added.status != 0 || verified.status != 0 || !audit.stdout.contains(": clean") {
                    out.append("\(target): \(added.stderr) \(verified.stdout) \(verified.stderr) \(audit.stdout)")
                }
                var ids: [String: Int] = [:]
                said.append(try ImportPostGISCommandTests.normalised(
                    added.stdout.replacingOccurrences(of: evidence, with: "FOLDER").replacingOccurrences(of: store + ".evidence", with: "FOLDER")
                        + verified.stdout.replacingOccurrences(of: evidence, with: "FOLDER").replacingOccurrences(of: store + ".evidence", with: "FOLDER")
                        + shown.stdout, ids: &ids))
            }
            if said[0] != said[1] { out.append("the database said\n\(said[1])\nnot\n\(said[0])") }
            if !said[1].contains("1 evidence file checked, 1 intact") || !said[1].contains("Satellite image 2021") {
                out.append("said \(said[1])")
            }
            // The file kept for the database is where --evidence says, read-only.
            let kept = try FileManager.default.subpathsOfDirectory(atPath: evidence + "/sha256").filter { $0.count > 3 }
            if kept.count != 1 { out.append("kept \(kept)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// A database made before the search words (schema version 1) is refused by `query
    /// search` until `upgrade` gives every site its words; then it searches as the file does.
    @Test func upgradeGivesADatabaseOfVersionOneItsSearchWords() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { store, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            // Back to version 1, as a database of the previous release is.
            try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url,
                                "-c", "DROP TABLE site_search", "-c", "DROP FUNCTION graveatlas_search_words(text[])",
                                "-c", "DROP TABLE api_tokens", "-c", "DELETE FROM graveatlas_schema WHERE version >= 2"])
            let refused = try ImportPostGISCommandTests.ga(["query", "search", url, "khavaran"], temporary: temporary)
            if refused.status != 2 || !refused.stderr.contains("graveatlas upgrade") { out.append("before: \(refused.status) \(refused.stderr)") }
            let upgraded = try ImportPostGISCommandTests.ga(["upgrade", url], temporary: temporary)
            if upgraded.status != 0 || !upgraded.stdout.contains("search words written for 7 sites")
                || !upgraded.stdout.contains("schema version 3") {
                out.append("upgrade: \(upgraded.status) \(upgraded.stdout) \(upgraded.stderr)")
            }
            let again = try ImportPostGISCommandTests.ga(["upgrade", url], temporary: temporary)
            if again.status != 0 || again.stdout.contains("search words written") { out.append("again: \(again.stdout) \(again.stderr)") }
            for words in ["khavaran", "خاوران", "mass grave", "teh*"] {
                let file = try GraveAtlasCommand.run(["query", "search", store, words, "--audience", "internal", "--format", "json"])
                let db = try GraveAtlasCommand.run(["query", "search", url, words, "--audience", "internal", "--format", "json"])
                if file.stdout != db.stdout || file.status != 0 || db.status != 0 { out.append("search '\(words)': \(db.stdout) \(db.stderr)") }
            }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    /// `settings URL` shows and changes the grid as on the file: the same lines, the change
    /// audited (the chain verifies), a finer grid refused in the same words.
    @Test func settingsOnADatabaseAreTheFiles() async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { store, url, folder in
            var said: [[String]] = []
            for target in [store, url] {
                var lines: [String] = []
                for arguments in [["settings", target], ["settings", target, "--cell-size", "0.2", "--by", "reviewer"],
                                  ["settings", target, "--cell-size", "0.05"], ["settings", target], ["audit", "verify", target]] {
                    let run = try ImportPostGISCommandTests.ga(arguments, temporary: folder + "tmp")
                    lines.append("\(run.status) \(run.stdout.replacing(try Regex("head [0-9a-f]{64}"), with: "head H"))"
                                 + run.stderr.split(separator: "\n").filter { !$0.hasPrefix("reading ") && !$0.hasPrefix("writing ") }
                                    .joined(separator: "\n").replacingOccurrences(of: target, with: "STORE"))
                }
                said.append(lines)
            }
            var out: [String] = []
            if said[0] != said[1] { out.append("the database said\n\(said[1])\nnot\n\(said[0])") }
            if !said[0][1].contains("grid: 0.2° cells") || said[0][2].hasPrefix("0 ") || !said[0][4].contains(": clean") {
                out.append("the file said \(said[0])")
            }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}

/// A command reading a database into its private copy, interrupted there (its read held up by
/// another session's lock, so the signal comes while the copy is half written), removes the
/// copy and its folder before it ends: a copy of every site, confidential ones included, is
/// never left in `$TMPDIR`.
@Suite struct InterruptedSnapshotTests {
    @Test(arguments: [(["audit", "verify"], SIGINT), (["import"], SIGTERM), (["serve"], SIGTERM)])
    func anInterruptedSnapshotLeavesNoCopy(command: [String], signal: Int32) async throws {
        let problems = try await CopyCommandTests.withDemoInADatabase { _, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
            // Another session holds audit_items: the snapshot waits there, after the sites.
            let holder = try SpawnedProgram("/usr/bin/env", ["psql", "-X", "-q", "-d", url, "-c",
                                                             "BEGIN; LOCK TABLE audit_items IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;"],
                                            environment: nil)
            defer { holder.kill(SIGKILL) }
            var locked = false
            for _ in 0..<100 where !locked {
                locked = try Subprocess.run(["psql", "-X", "-At", "-d", url, "-c",
                                             "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'audit_items' AND l.mode = 'AccessExclusiveLock' AND l.granted"])
                    .trimmingCharacters(in: .whitespacesAndNewlines) == "1"
                if !locked { usleep(100_000) }
            }
            guard locked else { return ["the lock was never taken"] }
            let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
            let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
            let arguments = command == ["import"] ? ["import", url, data, "--mapping", mapping]
                : command == ["serve"] ? ["serve", url, "--port", "0"] : command + [url]
            let process = try SpawnedProgram(GraveAtlasCommand.binary.path, arguments, environment: environment)
            // Wait until the copy is being written: the private folder holds a file.
            var writing = false
            let deadline = Date().addingTimeInterval(30)
            while !writing, process.isRunning, Date() < deadline {
                let folders = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
                writing = folders.contains { name in
                    !((try? FileManager.default.contentsOfDirectory(atPath: temporary + "/" + name)) ?? []).isEmpty
                }
                if !writing { usleep(20_000) }
            }
            if !writing { out.append("\(arguments[0]): no copy was being written") }
            usleep(300_000)
            if !process.isRunning { out.append("\(arguments[0]) ended before the signal") }
            process.kill(signal)
            let ended = try process.wait(timeout: 30, command: arguments)
            let expected = 128 + signal
            if (ended.signalled ? 128 + ended.status : ended.status) != expected {
                out.append("\(arguments[0]) ended with \(ended.status) (signalled: \(ended.signalled)), not \(expected)")
            }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if !left.isEmpty { out.append("\(arguments[0]) left \(left) in TMPDIR") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
