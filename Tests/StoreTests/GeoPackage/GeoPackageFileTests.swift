import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct GeoPackageFileTests {
    @Test func newStoreIsAValidGeoPackage() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("new.gpkg")
        try SiteStore.create(at: path).close()
        #expect(try Oracle.validate(path) == "")
        let info = try Oracle.run("ogrinfo", ["-ro", path])
        #expect(info.status == 0)
        for table in ["1: sites", "site_names (None)", "sources (None)", "site_events (None)", "site_sources (None)", "audit_log (None)"] {
            #expect(info.stdout.contains(table), "ogrinfo does not list \(table)")
        }
    }

    @Test func headerCarriesGeoPackageIdentity() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("id.gpkg")
        try SiteStore.create(at: path).close()
        let header = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)).prefix(72))
        #expect(Array(header[68..<72]) == Array("GPKG".utf8))
        let userVersion = header[60..<64].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(userVersion == 10300)
    }

    @Test func createRefusesAnExistingFileUnlessForced() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("twice.gpkg")
        try SiteStore.create(at: path).close()
        #expect(throws: StoreError.alreadyExists(path: path)) { try SiteStore.create(at: path) }
        let store = try SiteStore.create(at: path, force: true)
        #expect(try store.siteCount() == 0)
        try store.close()
    }

    @Test func refusesFilesThatAreNotGraveAtlasGeoPackages() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let text = dir.path("notes.gpkg")
        try "not a database".write(toFile: text, atomically: true, encoding: .utf8)
        #expect { try SiteStore(path: text) } throws: { error in
            guard case StoreError.notGeoPackage(_, let reason) = error else { return false }
            return reason.contains("not an SQLite database")
        }
        let plain = dir.path("plain.sqlite")
        try DatabaseQueue(path: plain).write { db in try db.execute(sql: "CREATE TABLE t(x)") }
        #expect { try SiteStore(path: plain) } throws: { error in
            guard case StoreError.notGeoPackage(_, let reason) = error else { return false }
            return reason.contains("application_id")
        }
        let gdal = dir.path("gdal.gpkg")
        let script = "from osgeo import ogr; ds = ogr.GetDriverByName('GPKG').CreateDataSource('\(gdal)'); ds.CreateLayer('x'); ds = None"
        #expect(try Oracle.run(Oracle.python, ["-c", script]).status == 0)
        #expect { try SiteStore(path: gdal) } throws: { error in
            guard case StoreError.notGeoPackage(_, let reason) = error else { return false }
            return reason.contains("no GraveAtlas tables")
        }
        #expect(throws: StoreError.notFound(path: dir.path("missing.gpkg"))) { try SiteStore(path: dir.path("missing.gpkg")) }
    }

    @Test func refusesAStoreFromANewerVersion() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("future.gpkg")
        try SiteStore.create(at: path).close()
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE store_metadata SET value = '99' WHERE key = 'schema_version'")
        }
        #expect(throws: StoreError.newerSchema(path: path, found: 99, supported: StoreSchema.version)) {
            try SiteStore(path: path)
        }
    }
}
