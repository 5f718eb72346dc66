import Foundation
import GRDB
import Testing
@testable import Store

@Suite struct SchemaMigrationTests {
    /// A store as version 1 of the schema wrote it, with one site.
    static func versionOneStore(_ path: String) throws {
        try SiteStore.writeSchema(path, upTo: "v1")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, 'Khavaran', 'mass_grave', 'reported', 'destroyed', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try .init(x: 51.5, y: 35.6))))])
            try db.execute(sql: """
                INSERT INTO site_names (site_id, lang, name, direction)
                SELECT uuid, 'fa', 'گورستان خاوران', 'rtl' FROM sites
                """)
        }
        try queue.close()
    }

    static func tableSQL(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name IN ('sites', 'site_names', 'sources', 'site_events') ORDER BY name")
        }
    }

    static func searchTableSQL(_ path: String) throws -> String? {
        try DatabaseQueue(path: path).read { db in
            try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'site_search'")
        }
    }

    /// Versions 3 and 4 (from a version 1 store): the search index without token counts and
    /// over its own text table, the unique rules of `sites` as named indexes; the data, the
    /// rules and the search all as before, and the schema that of a new store.
    @Test func versionsThreeAndFourRebuildTheSearchIndexAndNameTheUniqueIndexes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v1.gpkg")
        try Self.versionOneStore(path)
        #expect(try Self.searchTableSQL(path)?.contains("columnsize") == false)
        let khavaran = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "SELECT uuid FROM sites") } ?? ""

        let store = try SiteStore(path: path)   // migrates
        // Found by its display name and by its other name, both written before the migration.
        #expect(try store.search("Khavaran").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("خاوران").map(\.site.name) == ["Khavaran"])
        // Ranking still works on the rebuilt index.
        var other = Site(geometry: .point(try .init(x: 51.6, y: 35.7)), name: "Khavaran road Khavaran",
                         type: .massGrave, status: .reported, sensitivity: .public)
        other.description = "near Khavaran"
        other.dataset = "survey"
        other.sourceKey = "1"
        try store.insert(other)
        #expect(Set(try store.search("Khavaran").map(\.site.name)) == ["Khavaran", "Khavaran road Khavaran"])
        // The unique rules hold through their renamed indexes.
        var sameKey = try SiteFixtures.point(51.7, 35.8)
        sameKey.dataset = "survey"
        sameKey.sourceKey = "1"
        #expect(throws: StoreError.self) { try store.insert(sameKey) }
        #expect(throws: StoreError.self) { try store.insert(try SiteFixtures.point(51.7, 35.8, id: UUID(uuidString: khavaran) ?? UUID())) }
        try store.close()

        let created = dir.path("new.gpkg")
        try SiteStore.create(at: created).close()
        #expect(try Self.searchTableSQL(path) == Self.searchTableSQL(created))
        #expect(try Self.searchTableSQL(created)?.contains("columnsize = 0") == true)
        #expect(try Self.tableSQL(path) == Self.tableSQL(created))
        #expect(try Self.tableSQL(path).first { $0.hasPrefix("CREATE TABLE \"sites\"") }?.contains("UNIQUE") == false)
        for kind in ["index", "trigger", "table"] {
            let schema = { (file: String) in
                try DatabaseQueue(path: file).read { db in
                    try String.fetchAll(db, sql: "SELECT name || ':' || coalesce(sql, '') FROM sqlite_schema WHERE type = ? ORDER BY name",
                                        arguments: [kind])
                }
            }
            #expect(try schema(path) == schema(created), "\(kind)")
        }
        let tables = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE 'site_search%' ORDER BY name")
        }
        #expect(tables == ["site_search", "site_search_config", "site_search_data", "site_search_idx", "site_search_text"])
        let (integrity, version) = try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
            try db.execute(sql: "INSERT INTO site_search (site_search) VALUES ('integrity-check')")
            return (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                    try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'"))
        }
        #expect(integrity == "ok")
        #expect(version == String(StoreSchema.version))
        #expect(try Oracle.validate(path) == "")
    }

    /// Version 5 (from a version 4 store): the search index over names, description and the
    /// source attributes' string values, its text folded; sites written before the migration
    /// are found by their source attributes and by either spelling of a Persian name, and the
    /// file has a new store's schema, passes SQLite's and FTS5's integrity checks and GDAL's
    /// validator.
    @Test func versionFiveIndexesSourceAttributes() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v4.gpkg")
        try SiteStore.writeSchema(path, upTo: "v4")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            let rows: [(String, String?)] = [
                ("Fosa 112", #"{"LOCALIDAD_":"Paterna","PROVINCIA_":"Valencia","NUM":2238}"#),
                ("Fosa de San Rafael", #"{"LOCALIDAD_":"Málaga","PROVINCIA_":"Málaga"}"#),
                ("Golzar", nil),
            ]
            for (i, (name, attributes)) in rows.enumerated() {
                try db.execute(sql: """
                    INSERT INTO sites (geom, name, source_attributes, site_type, status, condition, location_precision, sensitivity)
                    VALUES (?, ?, ?, 'mass_grave', 'reported', 'unknown', 'exact', 'public')
                    """, arguments: [Data(GeoPackageBinary.encode(.point(try .init(x: -4 + Double(i), y: 37)))), name, attributes])
            }
            try db.execute(sql: """
                INSERT INTO site_names (site_id, lang, name, direction) SELECT uuid, 'fa', 'گلزار كريم', 'rtl' FROM sites WHERE name = 'Golzar'
                """)
        }
        try queue.close()
        #expect(try Self.searchTableSQL(path)?.contains("attributes") == false)

        let store = try SiteStore(path: path)   // migrates
        #expect(try store.search("valencia", audience: .everything).map(\.site.name) == ["Fosa 112"])
        #expect(try store.search("malaga", audience: .everything).map(\.tier) == [.source])
        #expect(try store.search("malaga", audience: AudienceView(audience: .public)).isEmpty)
        #expect(try store.search("کریم", audience: .everything).map(\.site.name) == ["Golzar"])
        #expect(try store.search("2238", audience: .everything).isEmpty)
        // Kept in step afterwards.
        var paterna = try #require(try store.search("valencia", audience: .everything).first?.site)
        paterna.sourceAttributes = #"{"PROVINCIA_":"Alicante"}"#
        try store.update(paterna)
        #expect(try store.search("valencia", audience: .everything).isEmpty)
        #expect(try store.search("alicante", audience: .everything).map(\.site.name) == ["Fosa 112"])
        try store.close()

        let created = dir.path("new.gpkg")
        try SiteStore.create(at: created).close()
        let schema = { (file: String) in
            try DatabaseQueue(path: file).read { db in
                try String.fetchAll(db, sql: "SELECT type || ':' || name || ':' || coalesce(sql, '') FROM sqlite_schema ORDER BY type, name")
            }
        }
        #expect(try schema(path) == schema(created))
        let (integrity, version) = try DatabaseQueue(path: path, configuration: SiteStore.configuration()).write { db in
            try db.execute(sql: "INSERT INTO site_search (site_search) VALUES ('integrity-check')")
            return (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
                    try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'"))
        }
        #expect(integrity == "ok")
        #expect(version == String(StoreSchema.version))
        #expect(try Oracle.validate(path) == "")
    }

    /// Version 4 gives a site that GDAL stored with the text of the id's default expression a
    /// UUID, and its names follow it.
    @Test func versionFourGivesSitesWithoutAUUIDOne() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v3.gpkg")
        try SiteStore.writeSchema(path, upTo: "v3")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, ?, 'Golzar', 'cemetery', 'reported', 'unknown', 'exact', 'public')
                """, arguments: [Data(GeoPackageBinary.encode(.point(try .init(x: 50, y: 35)))), StoreSchema.randomUUID])
            try db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, 'fa', 'گلزار', 'rtl')",
                           arguments: [StoreSchema.randomUUID])
        }
        try queue.close()
        let store = try SiteStore(path: path)   // migrates
        let id = try DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "SELECT uuid FROM sites") } ?? ""
        let site = try store.site(id: try #require(UUID(uuidString: id), "\(id)"))
        #expect(site?.names.map(\.name) == ["گلزار"])
        #expect(try store.search("گلزار").map(\.site.name) == ["Golzar"])
        try store.close()
    }

    @Test func versionTwoRewritesTheEnumerationChecksAndKeepsTheData() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v1.gpkg")
        try Self.versionOneStore(path)
        let before = try Self.tableSQL(path)
        #expect(before.allSatisfy { $0.contains(" IN (") })

        let store = try SiteStore(path: path)   // migrates
        #expect(try store.siteCount() == 1)
        #expect(try store.near(.init(x: 51.5, y: 35.6), radius: 1).map(\.site.name) == ["Khavaran"])
        try store.close()

        let after = try Self.tableSQL(path)
        #expect(after.allSatisfy { !$0.contains(" IN (") })
        #expect(after.first { $0.hasPrefix("CREATE TABLE \"sites\"") }?.contains(SiteCondition.sqlCheck) == true)
        // The same stores open the same way: only the constraint text differs.
        let created = dir.path("v2.gpkg")
        try SiteStore.create(at: created).close()
        #expect(try Self.tableSQL(created) == after)
        let (integrity, version) = try DatabaseQueue(path: path).read { db in
            (try String.fetchOne(db, sql: "PRAGMA integrity_check"),
             try String.fetchOne(db, sql: "SELECT value FROM store_metadata WHERE key = 'schema_version'"))
        }
        #expect(integrity == "ok")
        #expect(version == String(StoreSchema.version))
        #expect(try Oracle.validate(path) == "")
        // The rewritten constraints still refuse a word outside the enumeration.
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        #expect(throws: DatabaseError.self) {
            try queue.write { db in
                try db.execute(sql: "UPDATE sites SET condition = 'paved' WHERE name = 'Khavaran'")
            }
        }
        try queue.write { db in try db.execute(sql: "UPDATE sites SET condition = 'built_over' WHERE name = 'Khavaran'") }
        try queue.close()
    }
}
