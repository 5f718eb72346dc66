import Foundation
import TestSupport
import Testing

/// `graveatlas serve postgresql://…`: two servers on one database answer as a server on the file
/// it was copied from, byte for byte (pages of features, a feature, tiles, a query); an import
/// into the database is seen by both within seconds (its notification), an edit by another tool
/// too (the change mark), and the two give the same answers again; stopped, they leave nothing
/// in the temporary folder.
@Suite struct ServeDatabaseTests {
    static let paths = ["collections/sites/items?limit=100", "collections/sites", "tiles/5/20/12.mvt", "tiles/3/5/3.mvt",
                        "query/near?lon=51.4&lat=35.7&radius=500000", "tiles.json"]

    /// What a server answers on `paths`, its own address replaced by `URL/` and the time of
    /// the answer (`timeStamp`) by `T`.
    static func answers(_ server: ServeCommandTests.Server) throws -> [String] {
        let time = try Regex(#""timeStamp":"[^"]*""#)
        return try paths.map { path in
            let got = try ServeCommandTests.curl(["-w", "\n%{http_code}", server.url + path])
            return got.stdout.replacingOccurrences(of: server.url, with: "URL/").replacing(time, with: #""timeStamp":"T""#)
        }
    }

    /// Waits up to `seconds` for `condition`.
    static func wait(_ seconds: Double, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try condition() { return true }
            usleep(200_000)
        }
        return try condition()
    }

    /// Makes one demo site restricted (Ahvaz) and one confidential (Mashhad), with GDAL, in the
    /// store before its copy into the database (`CopyCommandTests.withDemoInADatabase`'s edit).
    static let protect: @Sendable (String, String) throws -> [String] = { store, _ in
        for (key, sensitivity) in [("ir1988-02", "restricted"), ("ir1988-03", "confidential")] {
            try Subprocess.run(["ogrinfo", store, "-sql", "UPDATE sites SET sensitivity = '\(sensitivity)' WHERE source_key = '\(key)'"])
        }
        return []
    }

    @Test func twoServersOnADatabaseAnswerAsTheFileAndFollowItsWrites() async throws {
        let mapping = try DemoStoreTests.geodata("iran-1988-damaged-sites.mapping.yaml")
        let data = try DemoStoreTests.geodata("iran-1988-damaged-sites.geojson")
        // One site restricted and one confidential: the public answers compared below
        // generalise the one and withhold the other.
        let problems = try await CopyCommandTests.withDemoInADatabase(edit: Self.protect) { store, url, folder in
            var out: [String] = []
            let temporary = folder + "tmp"
            try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
            let environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": temporary]) { $1 }
            let file = try ServeCommandTests.Server([store], environment: environment)
            let one = try ServeCommandTests.Server([url], environment: environment)
            let two = try ServeCommandTests.Server([url], environment: environment)
            let stopAll = { [file.stop(), one.stop(), two.stop()] }
            let first = try Self.answers(file)
            for server in [one, two] {
                for (path, (mine, files)) in zip(Self.paths, zip(try Self.answers(server), first)) where mine != files {
                    out.append("before, \(path): \(mine.prefix(1500))\nnot\n\(files.prefix(1500))")
                }
            }
            if !(first.first?.hasSuffix("\n200") ?? false) || !first[0].contains("Khavaran") { out.append("items: \(first.first ?? "")") }
            // Mashhad (confidential) is in no public answer; Ahvaz (restricted) only without its name.
            for answer in first where answer.contains("Mashhad") || answer.contains("Ahvaz") { out.append("public saw a protected site: \(answer.prefix(300))") }
            if !first[0].contains("\"numberMatched\":6") { out.append("public items: \(first[0].prefix(200))") }
            // An import into the database (and the same into the file): both servers take it.
            let edited = try ImportPostGISCommandTests.edited(data, "Bulldozed in 2024 ", in: folder, name: "edited.geojson")
            for target in [store, url] {
                let run = try ImportPostGISCommandTests.ga(["import", target, edited, "--mapping", mapping], temporary: temporary)
                if run.status != 0 { out.append("import into \(target): \(run.stderr)") }
            }
            for server in [one, two] where !(try Self.wait(30) { try Self.answers(server)[0].contains("Bulldozed in 2024") }) {
                out.append("\(server.url) did not take the import: \(server.logText)")
            }
            let after = try Self.answers(file)
            for server in [one, two] {
                for (path, (mine, files)) in zip(Self.paths, zip(try Self.answers(server), after)) where mine != files {
                    out.append("after the import, \(path): \(mine.prefix(1500))\nnot\n\(files.prefix(1500))")
                }
            }
            if after == first { out.append("the file's server did not change") }
            // An edit with psql, which notifies no one: seen by the change mark.
            try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c",
                                "UPDATE sites SET name = 'Renamed with psql' WHERE source_key = 'ir1988-01'"])
            for server in [one, two] where !(try Self.wait(30) { try Self.answers(server)[0].contains("Renamed with psql") }) {
                out.append("\(server.url) did not take the edit made with psql: \(server.logText)")
            }
            if try Self.answers(one) != Self.answers(two) { out.append("after psql: the two servers answer otherwise") }
            let stopped = stopAll()
            if stopped != [0, 0, 0] { out.append("stopped with \(stopped): \(one.logText)") }
            let left = (try? FileManager.default.contentsOfDirectory(atPath: temporary)) ?? []
            if !left.isEmpty { out.append("left behind: \(left)") }
            return out
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
