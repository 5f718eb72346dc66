import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// A store written by every older schema version, upgraded to this one: SQLite's checks, the
/// R*Tree's own check, GDAL's validator, and the same sites, fids, ids and names as before;
/// deleted fids are not handed out again.
@Suite struct SchemaUpgradeTests {
    /// Every site (fid, uuid, name) and name (site, lang, name), in order.
    static func contents(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT fid || ' ' || uuid || ' ' || name FROM sites ORDER BY fid")
            + String.fetchAll(db, sql: "SELECT site_id || ' ' || lang || ' ' || name FROM site_names ORDER BY id")
            + String.fetchAll(db, sql: "SELECT id || ' ' || minx || ' ' || maxy FROM rtree_sites_geom ORDER BY id")
    }

    @Test(arguments: ["v1", "v2", "v3", "v4", "v5", "v6"])
    func anOlderStoreUpgradesWithItsSitesIntact(version: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("\(version).gpkg")
        try SiteStore.writeSchema(path, upTo: version)
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let before = try queue.write { db -> [String] in
            for i in 0..<60 {
                let (x, y) = (50 + Double(i) / 10, 30 + Double(i) / 20)
                let site = try (i % 3 == 0 ? SiteFixtures.square(x, y, half: 0.01) : SiteFixtures.point(x, y))
                let geometry = site.geometry
                try db.execute(sql: """
                    INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity, dataset, source_key)
                    VALUES (?, ?, ?, 'mass_grave', 'reported', 'destroyed', 'exact', 'public', 'survey', ?)
                    """, arguments: [Data(GeoPackageBinary.encode(geometry)), UUID.random().uuidString, "site \(i)", String(i)])
                try db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) SELECT uuid, 'fa', ?, 'rtl' FROM sites WHERE fid = ?",
                               arguments: ["گور \(i)", db.lastInsertedRowID])
            }
            // The last sites deleted: their fids must not come back.
            try db.execute(sql: "DELETE FROM site_names WHERE site_id IN (SELECT uuid FROM sites WHERE fid > 55)")
            try db.execute(sql: "DELETE FROM sites WHERE fid > 55")
            return try Self.contents(db)
        }
        try queue.close()
        #expect(before.count == 55 * 3)   // fids 1…55: sites, names, R*Tree rows

        let store = try SiteStore(path: path)   // upgrades
        #expect(try store.siteCount() == 55)
        #expect(try store.near(.init(x: 50.1, y: 30.05), radius: 10).map(\.site.name) == ["site 1"])
        try store.close()

        let check = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try check.read { db throws in
            #expect(try Self.contents(db) == before)
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            #expect(try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").isEmpty)
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('rtree_sites_geom')") == "ok")
            #expect(try Int.fetchOne(db, sql: "PRAGMA legacy_alter_table") == 0)
            #expect(try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'")
                    == String(StoreSchema.version))
        }
        // The R*Tree triggers work on the rebuilt table: a new site is indexed, at a new fid.
        let store2 = try SiteStore(path: path)
        try store2.insert(try SiteFixtures.point(60, 40, name: "after"))
        try store2.close()
        try check.read { db throws in
            #expect(try Int64.fetchOne(db, sql: "SELECT fid FROM sites WHERE name = 'after'") == 61)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM rtree_sites_geom") == 56)
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('rtree_sites_geom')") == "ok")
        }
        try check.close()
        #expect(try Oracle.validate(path) == "")
    }
}
