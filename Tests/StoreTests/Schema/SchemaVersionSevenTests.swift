import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// Version 7 (from a version 6 store): the sites' origin columns added with plain SQL, the
/// data kept, the schema that of a new store, GDAL's validator content; and an import batch
/// over the migrated store never matches a keyless record by its old record-number key.
@Suite struct SchemaVersionSevenTests {
    /// A store as version 6 wrote it, with sites that a keyless import keyed by record number.
    static func versionSixStore(_ path: String) throws -> [(uuid: String, name: String)] {
        try SiteStore.writeSchema(path, upTo: "v6")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let rows: [(String, Double, String)] = [("Alpha", 51.47, #"{"name":"Alpha"}"#), ("Bravo", 51.50, #"{"name":"Bravo"}"#)]
        try queue.write { db in
            for (i, (name, lon, attributes)) in rows.enumerated() {
                try db.execute(sql: """
                    INSERT INTO sites (geom, name, source_attributes, dataset, source_key, site_type, status, condition,
                                       location_precision, sensitivity)
                    VALUES (?, ?, ?, 'sites', ?, 'suspected_site', 'reported', 'unknown', 'approximate', 'restricted')
                    """, arguments: [Data(GeoPackageBinary.encode(.point(try .init(x: lon, y: 35.6)))), name, attributes, String(i + 1)])
            }
        }
        let ids = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT uuid, name FROM sites ORDER BY fid").map { ($0[0] as String, $0[1] as String) }
        }
        try queue.close()
        return ids
    }

    @Test func versionSevenAddsTheOriginColumnsAndKeepsTheSites() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v6.gpkg")
        let before = try Self.versionSixStore(path)
        let store = try SiteStore(path: path)   // migrates
        #expect(try store.siteCount() == 2)
        try store.close()
        let created = dir.path("new.gpkg")
        try SiteStore.create(at: created).close()
        let schema = { (file: String) in
            try DatabaseQueue(path: file).read { db in
                try String.fetchAll(db, sql: "SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
            }
        }
        #expect(try schema(path) == schema(created))
        let (columns, origins, version) = try DatabaseQueue(path: path).read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('sites') ORDER BY cid").suffix(3),
             try Row.fetchAll(db, sql: "SELECT uuid, name, source_file, source_layer, missing_from_source FROM sites ORDER BY fid")
                .map { "\($0[0] as String) \($0[1] as String) \($0[2] as String? ?? "-") \($0[3] as String? ?? "-") \($0[4] as String? ?? "-")" },
             try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'"))
        }
        #expect(Array(columns) == ["source_file", "source_layer", "missing_from_source"])
        #expect(origins == before.map { "\($0.uuid) \($0.name) - - -" })
        #expect(version == String(StoreSchema.version))   // migrated on through the later versions
        #expect(try Oracle.validate(path) == "")
        // GDAL sees the new columns on the sites layer (as QGIS will).
        let info = try Oracle.run("ogrinfo", ["-so", path, "sites"]).stdout
        #expect(info.contains("source_file: String") && info.contains("missing_from_source: String"))
    }

    /// A keyless record matches the migrated site with its geometry and attributes (whatever
    /// its position), which loses its record-number key (audited); a keyed record "1" does not
    /// take the site that record 1 once was (its attributes do not hold 1): that site gives up
    /// the key and the record is a site of its own.
    @Test func aMigratedStoresRecordNumberKeysAreNotIdentities() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v6.gpkg")
        let before = try Self.versionSixStore(path)
        let store = try SiteStore(path: path)
        defer { try? store.close() }
        func site(_ name: String, _ lon: Double, _ lat: Double, key: String?) throws -> Site {
            Site(geometry: .point(try .init(x: lon, y: lat)), name: name, type: .suspectedSite, status: .reported,
                 locationPrecision: .approximate, sensitivity: .restricted, sourceAttributes: #"{"name":"\#(name)"}"#,
                 dataset: "sites", sourceKey: key)
        }
        let bravo = try site("Bravo", 51.50, 35.6, key: nil)
        let xray = try site("Xray", 46.29, 38.08, key: "1")
        let origin = SiteOrigin(file: "/data/sites.geojson", layer: "sites", record: 1)
        let (writes, _, _, _) = try store.importBatch(label: "sites.geojson") { batch in
            let first = try batch.write(bravo, origin: origin)
            let second = try batch.write(xray, origin: SiteOrigin(file: origin.file, layer: "sites", record: 2))
            let missing = try batch.missingSites(from: [.init(dataset: "sites", file: origin.file, layer: "sites", ownsUnknownOrigins: true)])
            return (first, second, missing)
        }
        // Bravo is matched by content and keeps its id; its old key "2" is gone.
        #expect(writes.0.matchedByContent)
        #expect(writes.0.id.uuidString == before[1].uuid)
        #expect(writes.0.changes == [SiteFieldChange(field: "source_key", old: "2", new: nil)])
        // Xray, key 1, is new; Alpha (once record 1) keeps its id and name, and is missing.
        #expect(writes.1.outcome == .inserted)
        #expect(writes.2.map(\.id.uuidString) == [before[0].uuid])
        #expect(try store.site(id: try #require(UUID(uuidString: before[0].uuid)))?.name == "Alpha")
        #expect(try store.site(id: try #require(UUID(uuidString: before[0].uuid)))?.sourceKey == nil)
        #expect(try store.siteCount() == 3)
        for (uuid, field) in [(before[0].uuid, #""old":"1""#), (before[1].uuid, #""old":"2""#)] {
            let entry = try store.auditLog(for: uuid).last
            #expect(entry?.action == "update")
            #expect(entry?.detail?.contains(#"{"field":"source_key","#) == true && entry?.detail?.contains(field) == true,
                    "\(entry?.detail ?? "")")
        }
    }
}
