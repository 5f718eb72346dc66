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
        #expect(again.status == 2 && again.stderr.contains("not empty"), "\(again.stderr)")
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
}
