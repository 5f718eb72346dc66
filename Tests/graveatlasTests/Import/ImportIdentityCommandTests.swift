import Foundation
import Testing

/// `graveatlas import` run again over changed sources, as a user runs it: a file of a name
/// another file's dataset has is refused in one line naming both, the console summary and the
/// `--report` list what a re-import did or would do, and `--mark-missing` marks what the
/// source no longer holds.
@Suite struct ImportIdentityCommandTests {
    typealias Folder = ImportCommandTests.Folder

    static let philadelphia = """
    name,lon,lat
    Laurel Hill,-75.1886,40.0043
    Woodlands,-75.2030,39.9470
    """
    static let newYork = """
    name,lon,lat
    Green-Wood,-73.9903,40.6522
    Woodlawn,-73.8726,40.8888
    Hart Island,-73.7710,40.8520
    """
    static let graves = """
    FOSA_ID,NOMBRE,lon,lat
    242,Fosa de Paterna,-0.4437,39.5028
    243,"Cañada de los Mártires, Víznar",-3.5503,37.2331
    244,Fosa La Generala,-2.8167,41.7000
    """

    private func write(_ folder: Folder, _ sub: String, _ name: String, _ text: String) throws -> String {
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent(sub), withIntermediateDirectories: true)
        return try folder.write("\(sub)/\(name)", text)
    }

    private func ids(_ store: String) throws -> [String] {
        let out = try runProgram("/usr/bin/env", ["ogrinfo", "-q", "-sql", "SELECT uuid || ' ' || name AS site FROM sites ORDER BY fid", store])
        return out.stdout.split(separator: "\n").compactMap { line in
            line.range(of: " = ").map { String(line[$0.upperBound...]) }
        }
    }

    @Test func aDatasetOfAnotherFileIsRefusedNamingBothFiles() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let phl = try write(folder, "philadelphia", "cemeteries.csv", Self.philadelphia)
        let ny = try write(folder, "new-york", "cemeteries.csv", Self.newYork)
        let both = try GraveAtlasCommand.run(["import", store, phl, ny])
        #expect(both.status == 2)
        #expect(both.stderr == "graveatlas: \(ny): dataset 'cemeteries' (taken from the file name) already holds the sites of "
            + "\(phl), another file; give --dataset NAME to import it as a dataset of its own, or --dataset cemeteries "
            + "if it is the same dataset\n")
        #expect(try ids(store).isEmpty)
        #expect(try GraveAtlasCommand.run(["import", store, phl]).status == 0)
        let before = try ids(store)
        #expect(before.count == 2 && before[0].hasSuffix(" Laurel Hill"))
        let second = try GraveAtlasCommand.run(["import", store, ny])
        #expect(second.status == 2)
        #expect(second.stderr.contains("\(ny): dataset 'cemeteries' (taken from the file name) already holds the sites of "))
        #expect(second.stderr.contains("philadelphia/cemeteries.csv, another file"))
        #expect(try ids(store) == before)
        let own = try GraveAtlasCommand.run(["import", store, ny, "--dataset", "cemeteries-ny"])
        #expect(own.stderr.contains("3 sites: 3 were inserted, 0 updated, 0 unchanged"))
        #expect(try ids(store).prefix(2) == before[...])
    }

    @Test func reimportSummaryReportAndMarks() throws {
        let folder = try Folder()
        let store = folder.path("atlas.gpkg")
        _ = try GraveAtlasCommand.run(["init", store])
        let csv = try folder.write("fosas.csv", Self.graves)
        let first = try GraveAtlasCommand.run(["import", store, csv])
        #expect(first.status == 0, "\(first.stderr)")
        let before = try ids(store)
        #expect(before.count == 3 && before[2].hasSuffix(" Fosa La Generala"))
        // Paterna renamed, La Generala gone, a grave without a key added.
        try folder.write("fosas.csv", """
            FOSA_ID,NOMBRE,lon,lat
            242,Fosa 127 de Paterna,-0.4437,39.5028
            243,"Cañada de los Mártires, Víznar",-3.5503,37.2331
            ,Fosa sin código,-1.0,38.0
            """)
        let strict = try GraveAtlasCommand.run(["import", store, csv, "--strict"])
        #expect(strict.status == 2)
        #expect(strict.stderr == "graveatlas: \(csv): record 3: no key: FOSA_ID is empty\n")
        let report = folder.path("report.json")
        let dry = try GraveAtlasCommand.run(["import", store, csv, "--dry-run", "--report", report])
        #expect(dry.status == 0)
        let lines = dry.stderr.split(separator: "\n").map(String.init)
        #expect(lines.contains("3 sites: 1 would be inserted, 1 updated, 1 unchanged (dry run: nothing written)"))
        #expect(lines.contains("  \(csv): record 3: no key: FOSA_ID is empty; stored as a site without a key, matched again only by its content"))
        #expect(lines.contains { $0.hasPrefix("  would be updated: 'Fosa 127 de Paterna' (site ") && $0.hasSuffix(", key 242) from \(csv) record 1: name, source_attributes") })
        #expect(lines.contains { $0.hasPrefix("  would be inserted: 'Fosa sin código'") })
        #expect(lines.contains { $0.hasPrefix("  would be unchanged: 'Cañada de los Mártires, Víznar'") })
        #expect(lines.contains { $0.hasPrefix("  missing from source: 'Fosa La Generala' (site ") })
        #expect(lines.contains("1 sites of the re-imported sources are no longer in them (kept; --mark-missing marks them)"))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any]
        let identity = json?["identity"] as? [String: Any]
        let sites = identity?["sites"] as? [[String: Any]] ?? []
        #expect(sites.map { $0["kind"] as? String ?? "" } == ["updated", "unchanged", "inserted", "missing"])
        let changes = sites.first?["changes"] as? [[String: Any]] ?? []
        #expect(changes.first?["old"] as? String == "Fosa de Paterna")
        #expect(try ids(store) == before)

        let marked = try GraveAtlasCommand.run(["import", store, csv, "--mark-missing"])
        #expect(marked.status == 0)
        #expect(marked.stderr.contains("3 sites: 1 were inserted, 1 updated, 1 unchanged"))
        #expect(marked.stderr.contains("1 sites of the re-imported sources are no longer in them (1 were marked missing_from_source)"))
        let after = try ids(store)
        #expect(after.prefix(3) == before[...].map { $0.replacingOccurrences(of: "Fosa de Paterna", with: "Fosa 127 de Paterna") }[...])
        let flagged = try runProgram("/usr/bin/env", ["ogrinfo", "-q", "-sql", "SELECT name FROM sites WHERE missing_from_source IS NOT NULL", store])
        #expect(flagged.stdout.contains("name (String) = Fosa La Generala"))
        #expect(!flagged.stdout.contains("Paterna"))
        // Where the sites were imported from stays in the store: a publication file has none of it.
        let published = folder.path("public.gpkg")
        #expect(try GraveAtlasCommand.run(["export", "gpkg", store, "-o", published, "--audience", "public"]).status == 0)
        let columns = try runProgram("/usr/bin/env", ["ogrinfo", "-so", published, "sites"]).stdout
        #expect(columns.contains("name: String"))
        for column in ["source_file", "source_layer", "missing_from_source"] { #expect(!columns.contains(column), "\(column)") }
    }
}
