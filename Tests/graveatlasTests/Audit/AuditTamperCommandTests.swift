import Foundation
import TestSupport
import Testing

/// `graveatlas audit verify` against tampering as an adversary or a careless edit would do it:
/// each change made outside GraveAtlas is found (exit 1) and named by the site's id (and its
/// name while it is there) or the entry's seq, with its kind.
@Suite struct AuditTamperCommandTests {
    typealias F = AuditStoreFixture

    @Test func theUntouchedStoreVerifiesClean() throws {
        let fixture = try AuditStoreFixture()
        let run = try F.verify(fixture.store)
        #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
        #expect(run.stdout.hasPrefix("5 entries checked, "), "\(run.stdout)")
        #expect(run.stdout.contains(" rows checked, head ") && run.stdout.hasSuffix(": clean\n"), "\(run.stdout)")
    }

    /// `UPDATE sites SET geom = …` in the sqlite3 shell (with SpatiaLite's GeoPackage functions,
    /// which the R*Tree triggers need): the site is named as changed outside GraveAtlas.
    @Test func aGeometryMovedInTheSqliteShellIsNamed() throws {
        let fixture = try AuditStoreFixture()
        let store = try fixture.copy("moved.gpkg")
        let uuid = try F.value(store, "SELECT uuid FROM sites WHERE name = 'Khavaran cemetery, Tehran'")
        try F.sqlite3(store, ["UPDATE sites SET geom = AsGPB(MakePoint(51.5, 35.5, 4326)) WHERE uuid = '\(uuid)'"], spatialite: true)
        let run = try F.verify(store)
        #expect(run.status == 1)
        #expect(run.stdout.contains("site \(uuid) \"Khavaran cemetery, Tehran\": changed outside GraveAtlas"), "\(run.stdout)")
        #expect(run.stdout.components(separatedBy: "\n").filter { $0.contains("changed outside") }.count == 1, "\(run.stdout)")
        #expect(run.stderr.contains("the audit found 1 problem"), "\(run.stderr)")
    }

    /// A name edited in the sqlite3 shell's plain SQL (no geometry: no extension needed).
    @Test func anOtherNameWrittenInTheSqliteShellIsNamed() throws {
        let fixture = try AuditStoreFixture()
        let store = try fixture.copy("renamed.gpkg")
        let uuid = try F.value(store, "SELECT uuid FROM sites ORDER BY fid LIMIT 1 OFFSET 1")
        try F.sqlite3(store, ["UPDATE site_names SET name = 'x' WHERE site_id = '\(uuid)' AND lang = 'fa'"])
        let run = try F.verify(store)
        #expect(run.status == 1)
        #expect(run.stdout.contains("site \(uuid) ") && run.stdout.contains("changed outside GraveAtlas"), "\(run.stdout)")
    }

    /// An attribute edited and a site deleted by GDAL's GeoPackage driver (`ogrinfo -sql`), as
    /// QGIS would; a site added by `ogr2ogr -update -append` has no entry.
    @Test func gdalEditsDeletesAndAdditionsAreNamed() throws {
        let fixture = try AuditStoreFixture()
        let store = try fixture.copy("gdal.gpkg")
        let ids = try F.value(store, "SELECT uuid || '|' || name FROM sites ORDER BY fid LIMIT 2").split(separator: "\n")
        #expect(ids.count == 2)
        let edited = ids[0].split(separator: "|").map(String.init), deleted = ids[1].split(separator: "|").map(String.init)
        for sql in ["UPDATE sites SET condition = 'destroyed' WHERE uuid = '\(edited[0])'",
                    "DELETE FROM sites WHERE uuid = '\(deleted[0])'"] {
            let run = try runProgram("/usr/bin/ogrinfo", [store, "-sql", sql])
            #expect(run.status == 0, "\(run.stderr)")
        }
        let added = try fixture.folder.write("added.geojson", """
            {"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[48.3,38.2]},
             "properties":{"name":"Added in QGIS","site_type":"suspected_site","status":"reported","condition":"unknown",
             "location_precision":"approximate","sensitivity":"restricted"}}]}
            """)
        let append = try runProgram("/usr/bin/ogr2ogr", ["-update", "-append", store, added, "-nln", "sites"])
        #expect(append.status == 0, "\(append.stderr)")
        let newID = try F.value(store, "SELECT uuid FROM sites WHERE name = 'Added in QGIS'")
        let run = try F.verify(store)
        #expect(run.status == 1)
        #expect(run.stdout.contains("site \(edited[0]) \"\(edited[1])\": changed outside GraveAtlas"), "\(run.stdout)")
        #expect(run.stdout.contains("site \(deleted[0]): deleted outside GraveAtlas"), "\(run.stdout)")
        #expect(run.stdout.contains("site \(newID) \"Added in QGIS\": no entry"), "\(run.stdout)")
    }

    @Test func anEntryDeletedIsNamed() throws {
        let fixture = try AuditStoreFixture()
        let store = try fixture.copy("deleted-entry.gpkg")
        try F.sqlite3(store, ["DELETE FROM audit_log WHERE seq = 2"])
        let run = try F.verify(store)
        #expect(run.status == 1)
        #expect(run.stdout.contains("entry 2: entry missing"), "\(run.stdout)")
        // The first entry gone: the chain does not start at 1.
        let first = try fixture.copy("deleted-first.gpkg")
        try F.sqlite3(first, ["DELETE FROM audit_log WHERE seq = 1"])
        #expect(try F.verify(first).stdout.contains("entry 1: entry missing"))
    }

    @Test func anEntryAlteredIsNamed() throws {
        let fixture = try AuditStoreFixture()
        for (name, sql, expected) in [
            ("by", "UPDATE audit_log SET \"by\" = 'Someone else' WHERE seq = 4", "entry 4: entry altered"),
            ("detail", "UPDATE audit_log SET detail = replace(detail, '0.2', '0.01') WHERE seq = 5", "entry 5: entry altered"),
            ("listing", "UPDATE audit_items SET detail = NULL WHERE seq = 4 AND detail IS NOT NULL", "entry 4: entry altered"),
            ("reordered", "UPDATE audit_log SET seq = -seq WHERE seq IN (3, 4); UPDATE audit_log SET seq = 7 + seq WHERE seq IN (-3, -4)",
             "entry 3: entry altered"),
        ] {
            let store = try fixture.copy("altered-\(name).gpkg")
            try F.sqlite3(store, [sql])
            let run = try F.verify(store)
            #expect(run.status == 1, "\(name)")
            #expect(run.stdout.contains(expected), "\(name): \(run.stdout)")
        }
    }
}
