import TestSupport
import Foundation
import Geometry
import Testing
import ZIPFoundation
@testable import Import

/// The readers' limits on hostile input, below the command line: views that never end,
/// zip members that leave their folder or lie about their size, and what the mapping scan
/// lets through.
@Suite struct HostileInputTests {
    /// A GeoPackage from `ogr2ogr` whose layer is then replaced by `view` (SQL run by Python's
    /// sqlite3, which GeoPackage's triggers do not need).
    func geoPackage(in folder: FixtureFolder, view sql: String) throws -> URL {
        try folder.write("pts.geojson", SampleData.spain)
        try folder.ogr2ogr("GPKG", "view.gpkg", "pts.geojson", ["-nln", "pts", "-lco", "SPATIAL_INDEX=NO"])
        let script = """
            import sys, sqlite3
            c = sqlite3.connect(sys.argv[1])
            c.execute(sys.argv[2])
            c.execute("UPDATE gpkg_contents SET table_name = 'endless'")
            c.execute("UPDATE gpkg_geometry_columns SET table_name = 'endless'")
            c.commit()
            """
        _ = try Subprocess.run(["python3", "-c", script, folder.path("view.gpkg").path, sql])
        return folder.path("view.gpkg")
    }

    /// A layer that is a recursive view counting forever: stopped at the time limit, with the
    /// file, layer and reason.
    @Test func viewThatNeverEndsIsStoppedAtTheTimeLimit() throws {
        let folder = try FixtureFolder()
        let url = try geoPackage(in: folder, view: """
            CREATE VIEW endless AS WITH RECURSIVE n(fid) AS (SELECT 1 UNION ALL SELECT fid + 1 FROM n)
            SELECT n.fid AS fid, p.geom AS geom, p.NOMBRE AS name FROM n, (SELECT * FROM pts LIMIT 1) p
            """)
        let started = Date()
        var limits = InputLimits()
        limits.maxStatementSeconds = 1
        #expect {
            let sources = try GeoPackageSource.layers(of: url, displayName: "view.gpkg", limits: limits)
            for source in sources { while try source.next() != nil {} }
        } throws: { error in
            "\(error)".hasPrefix("view.gpkg: ") && "\(error)".contains("reading layer endless took more than 1 s")
        }
        // Far below the time it would take to end (never), with margin for a loaded machine.
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// A geometry column holding an integer, a real and text: each record skipped with what it
    /// holds; a blob row beside them still reads.
    @Test func nonBlobGeometriesAreSkippedWithWhatTheyHold() throws {
        let folder = try FixtureFolder()
        let url = try geoPackage(in: folder, view: """
            CREATE VIEW endless AS SELECT fid, CASE fid WHEN 1 THEN 42 WHEN 2 THEN 4.5 ELSE geom END AS geom, NOMBRE FROM pts
            UNION ALL SELECT 10, 'POINT (1 2)', 'text'
            """)
        let source = try #require(try GeoPackageSource.layers(of: url).first)
        var notes: [String] = []
        var geometries = 0
        while let record = try source.next() {
            notes += record.notes.map { "\($0)" }
            if record.geometry != nil { geometries += 1 }
        }
        #expect(geometries == 1)
        #expect(notes.contains { $0.contains("holds an integer") })
        #expect(notes.contains { $0.contains("holds a real number") })
        #expect(notes.contains { $0.contains("holds text") })
    }

    /// Member paths that would leave the extraction folder are refused; `./` steps are not.
    @Test func memberPathsStayInTheFolder() {
        #expect(ExtractedArchive.safePath("data/sites.csv") == "data/sites.csv")
        #expect(ExtractedArchive.safePath("./data//sites.csv") == "data/sites.csv")
        #expect(ExtractedArchive.safePath("../etc/passwd") == nil)
        #expect(ExtractedArchive.safePath("data/../../x.csv") == nil)
        #expect(ExtractedArchive.safePath("/etc/passwd") == nil)
    }

    /// The ratio limit applies to what a member really expands to: a member of zeros refused
    /// under a small limit with its name; the temporary folder is gone afterwards.
    @Test func expansionIsCountedAsItStreams() throws {
        let folder = try FixtureFolder()
        try folder.write("zeros.csv", "name,lon,lat\n" + String(repeating: "0", count: 4 << 20))
        let zip = folder.path("z.zip")
        let writer = try Archive(url: zip, accessMode: .create)
        try writer.addEntry(with: "zeros.csv", relativeTo: folder.url, compressionMethod: .deflate)
        var limits = InputLimits()
        limits.ratioFloorBytes = 1 << 16
        limits.maxExpansionRatio = 20
        let before = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
        #expect {
            _ = try ExtractedArchive(zip, name: "z.zip", limits: limits)
        } throws: { error in
            "\(error)".hasPrefix("z.zip/zeros.csv: ") && "\(error)".contains("expands more than 20 times")
        }
        limits.maxExpansionRatio = 100_000
        limits.maxExtractedBytes = 1 << 20
        #expect {
            _ = try ExtractedArchive(zip, name: "z.zip", limits: limits)
        } throws: { error in "\(error)".contains("the zip expands to more than 1048576 bytes") }
        let after = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
        #expect(Set(after).subtracting(before).filter { $0.hasPrefix("graveatlas-zip-") }.isEmpty)
        // Within the limits it extracts (the standard ratio limit refuses these zeros too).
        limits.maxExtractedBytes = 1 << 30
        let archive = try ExtractedArchive(zip, name: "z.zip", limits: limits)
        #expect(archive.importableFiles.map(\.relativePath) == ["zeros.csv"])
    }

    /// A member whose headers declare 1,000 bytes but which inflates to 50 MB: refused when
    /// the stream passes the limit, not trusted for its declared size.
    @Test func memberThatLiesAboutItsSizeIsRefusedAsItStreams() throws {
        let folder = try FixtureFolder()
        let script = """
            import sys, zipfile, struct
            path = sys.argv[1]
            with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('sites.csv', b'name,lon,lat\\n' + b'0' * (50 << 20))
            data = bytearray(open(path, 'rb').read())
            local = data.find(b'PK\\x03\\x04')
            central = data.find(b'PK\\x01\\x02')
            struct.pack_into('<I', data, local + 22, 1000)
            struct.pack_into('<I', data, central + 24, 1000)
            open(path, 'wb').write(data)
            """
        _ = try Subprocess.run(["python3", "-c", script, folder.path("liar.zip").path])
        var limits = InputLimits()
        limits.maxExpansionRatio = 100
        let started = Date()
        #expect {
            _ = try ExtractedArchive(folder.path("liar.zip"), name: "liar.zip", limits: limits)
        } throws: { error in
            "\(error)".hasPrefix("liar.zip/sites.csv: ") && "\(error)".contains("refused as a zip bomb")
        }
        #expect(Date().timeIntervalSince(started) < 30)
    }

    /// A damaged part of a shapefile in a zip is named inside the zip, never by the
    /// temporary folder it was extracted to.
    @Test func partsOfAShapefileInAZipAreNamedInsideIt() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try FileManager.default.createDirectory(at: folder.path("data"), withIntermediateDirectories: true)
        try folder.shapefile("data/spain", from: "spain.geojson", encoding: "UTF-8")
        try folder.write("data/spain.dbf", bytes: [0x03, 0x01, 0x02])
        let zip = try folder.zip("shapes.zip", ["data/spain.shp", "data/spain.shx", "data/spain.dbf"])
        #expect {
            _ = try OpenedFile(zip)
        } throws: { error in
            "\(error)".hasPrefix(zip.path + "/data/spain.dbf: ") && !"\(error)".contains("graveatlas-zip-")
        }
    }

    /// What real mapping files hold passes the scan: comments, quotes holding `*`, `&`, `#`
    /// and brackets, URLs, lists; aliases and deep nesting do not.
    @Test func mappingScanKeepsRealFilesAndRefusesTheRest() throws {
        let fine = """
            # spain.yaml  *not an alias*  &not an anchor
            dataset: "spain *destroyed* [2024]"
            key: 'FOSA_ID'
            set: {condition: destroyed, sensitivity: restricted}   # {[ in a comment
            fields:
              name: DENOMINACI
              description: "notes & remarks"
              victims_min: a*b
            values: {status: {"CONFIRMADA*": confirmed, 'POSIBLE [?]': suspected}}
            names: {es: DENOMINACI, fa: "نام"}
            source: http://example.org/a*b
            list:
              - - a
                - b
            """
        try MappingLimits.check(Array(fine.utf8), file: "m.yaml")
        func refused(_ text: String) -> String? {
            do { try MappingLimits.check(Array(text.utf8), file: "m.yaml"); return nil } catch { return "\(error)" }
        }
        #expect(refused("a: &x 1\nb: *x\n")?.contains("line 1: anchors and aliases") == true)
        #expect(refused("a: [1, *x]\n")?.contains("line 1: anchors and aliases") == true)
        #expect(refused(String(repeating: "[", count: 33))?.contains("nested more than 32") == true)
        #expect(refused(String(repeating: "[", count: 31)) == nil)
        let indented = (0..<40).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n")
        #expect(refused(indented)?.contains("line 33: nested more than 32") == true)
    }
}
