import Foundation
import TestSupport
import Testing

/// `graveatlas import` run as a user runs it: exit codes, the report, and an import killed
/// with SIGKILL in the middle.
@Suite struct ImportCommandTests {
    typealias Folder = TestFolder

    static let csv = "nombre,estado,lon,lat\nFosa de Paterna,confirmed,-0.4437,39.5028\nSin sitio,reported,,\n"

    @Test func importsReportsAndReimportsWithoutDuplicating() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let csv = try folder.write("fosas.csv", ImportCommandTests.csv)
        let first = try GraveAtlasCommand.run(["import", store, csv, "--report", folder.path("report.json")])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("2 read, 1 imported, 1 skipped"))
        #expect(first.stderr.contains("1 sites: 1 were inserted, 0 updated, 0 unchanged"))
        #expect(first.stderr.contains("record 2: no coordinates"))
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: folder.path("report.json"))))
        let entries = (report as? [String: Any])?["entries"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["record"] as? Int } == [2])
        let again = try GraveAtlasCommand.run(["import", store, csv])
        #expect(again.stderr.contains("0 were inserted, 0 updated, 1 unchanged"))
        let stats = try GraveAtlasCommand.run(["stats", store])
        #expect(stats.stdout.contains("sites          1"))
    }

    @Test func badInputIsExitTwoWithOneLine() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("fosas.csv", ImportCommandTests.csv)
        let mapping = try folder.write("m.yaml", "fields: {name: DENOMINACI}")
        let bad = try GraveAtlasCommand.run(["import", store, csv, "--mapping", mapping])
        #expect(bad.status == 2)
        #expect(bad.stderr == "graveatlas: \(mapping): invalid mapping: source field 'DENOMINACI' is not in \(csv) "
            + "(fields: nombre, estado, lon, lat)\n")
        let strict = try GraveAtlasCommand.run(["import", store, csv, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr == "graveatlas: \(csv): record 2: no coordinates\n")
        let missing = try GraveAtlasCommand.run(["import", store, folder.path("none.shp")])
        #expect(missing.status == 2)
        let dry = try GraveAtlasCommand.run(["import", store, csv, "--dry-run"])
        #expect(dry.status == 0)
        #expect(dry.stderr.contains("1 would be inserted"))
        #expect(try GraveAtlasCommand.run(["stats", store]).stdout.contains("sites          0"))
    }

    /// SIGKILL while a large import is writing: the store opens, holds what it held before, and
    /// none of the killed import's sites.
    @Test func killedImportLeavesNoneOfItsSites() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        _ = try GraveAtlasCommand.run(["import", store, try folder.write("fosas.csv", ImportCommandTests.csv)])
        var rows = "name,lon,lat\n"
        for i in 0..<100_000 { rows += "site \(i),\(Double(i % 3600) / 10 - 180),\(Double(i % 1700) / 10 - 85)\n" }
        let big = try folder.write("big.csv", rows)
        let process = try SpawnedProgram(GraveAtlasCommand.binary.path, ["import", store, big])
        // Wait until the import has written a good part of its transaction to the WAL.
        let wal = store + "-wal"
        var walBytes = 0
        while process.isRunning && walBytes < 200_000 {
            usleep(20_000)
            walBytes = ((try? FileManager.default.attributesOfItem(atPath: wal))?[.size] as? Int) ?? 0
        }
        let killedMidway = process.isRunning
        process.kill(SIGKILL)
        let ended = try process.wait(timeout: 120, command: ["graveatlas", "import", big])
        #expect(killedMidway, "the import finished before it could be killed; make the file larger")
        #expect(ended.signalled)
        let stats = try GraveAtlasCommand.run(["stats", store])
        #expect(stats.status == 0)
        #expect(stats.stdout.contains("sites          1"))
        let check = try runProgram("/usr/bin/env", ["ogrinfo", "-so", store, "sites"])
        #expect(check.stdout.contains("Feature Count: 1"))
    }
}
