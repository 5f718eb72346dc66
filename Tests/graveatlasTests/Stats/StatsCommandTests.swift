import Foundation
import Testing

/// `graveatlas stats`: counts per dataset and per imported file, in every format its help lists.
@Suite struct StatsCommandTests {
    /// Two files imported into one store (one of them twice): per dataset and per file counts
    /// add up to the sites held, and every format gives the same counts.
    @Test func countsPerDatasetAndFileInEveryFormat() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-stats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("s.gpkg").path
        let north = folder.appendingPathComponent("north.csv"), south = folder.appendingPathComponent("south.csv")
        try Data("id,name,lon,lat\n1,A,51.1,35.1\n2,B,51.2,35.2\n3,C,51.3,35.3\n".utf8).write(to: north)
        try Data("id,name,lon,lat\n1,D,-3.7,40.4\n2,E,-3.8,40.5\n".utf8).write(to: south)
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        for file in [north, south, north] {
            let imported = try GraveAtlasCommand.run(["import", store, file.path, "--key", "id"])
            #expect(imported.status == 0, "\(imported.stderr)")
        }
        let json = try GraveAtlasCommand.run(["stats", store, "--format", "json"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["sites"] as? Int == 5)
        #expect(object["datasets"] as? [String: Int] == ["north": 3, "south": 2])
        let files = try #require(object["source_files"] as? [[String: Any]])
        #expect(files.map { $0["file"] as? String } == ["north.csv", "south.csv"])
        #expect(files.map { $0["imports"] as? Int } == [2, 1])
        #expect(files.map { $0["inserted"] as? Int } == [3, 2])
        #expect(files.first?["unchanged"] as? Int == 3)

        let csv = try GraveAtlasCommand.run(["stats", store, "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        let rows = Set(csv.stdout.split(separator: "\r\n").map(String.init))
        #expect(rows.isSuperset(of: ["group,value,count", "sites,,5", "dataset,north,3", "dataset,south,2",
                                     "source_file,north.csv,3", "source_file,south.csv,2"]))

        let table = try GraveAtlasCommand.run(["stats", store])
        #expect(table.status == 0)
        #expect(table.stdout.contains("  north  3") && table.stdout.contains("  south.csv  1; 2, 0, 0;"))

        // The help lists exactly the formats that work.
        let help = try GraveAtlasCommand.run(["stats", "--help"]).stdout
        #expect(help.contains("values: table, json, csv"))
        #expect(try GraveAtlasCommand.run(["stats", store, "--format", "geojson"]).status == 2)
    }
}
