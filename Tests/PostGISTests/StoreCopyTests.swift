import Foundation
import Geometry
import PostGIS
import Store
import TestSupport
import Testing

/// GeoPackage → PostGIS → GeoPackage gives the same store: every row of every table carried
/// (ids, times, dates, evidence hashes, the audit log), the same sites, names, events, sources
/// and links read back through the store, and a GeoPackage GDAL reads.
@Suite struct StoreCopyTests {
    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ga-pgcopy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Every row a copy carries, by table.
    static func rows(of path: String) throws -> [String: [[StoredValue]]] {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        var out: [String: [[StoredValue]]] = [:]
        for table in StoreTable.copied {
            try store.forEachRow(of: table) { out[table.name, default: []].append($0) }
        }
        return out
    }

    /// The store as its readers see it: sites with names, their events, the sources they cite.
    static func contents(of path: String) throws -> (sites: [Site], events: [SiteEvent], sources: [Source], audit: [SiteStore.AuditEntry]) {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        var sites: [Site] = []
        try store.forEachSite { sites.append($0.site) }
        sites.sort { $0.id.text < $1.id.text }
        let events = try sites.flatMap { try store.events(site: $0.id) }
        let sources = try Set(events.flatMap(\.sources)).sorted { $0.text < $1.text }.compactMap { try store.source(id: $0) }
        return (sites, events, sources, try store.auditLog())
    }

    @Test func generatedStoreComesBackTheSameThroughPostGIS() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("original.gpkg").path
        let back = folder.appendingPathComponent("back.gpkg").path
        try GeneratedStore.make(at: original, sites: 60, seed: 19)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }

        try await PostGISStore(url: try PostgresURL(database.url)).migrate()
        let made = try Self.indexes(database.url)
        let into = try await StoreCopy.run(from: .geoPackage(path: original), to: StoreLocation(database.url))
        let out = try await StoreCopy.run(from: StoreLocation(database.url), to: .geoPackage(path: back))
        // Into the database, each site's search words too (a GeoPackage makes its own index).
        #expect(into.filter { $0.key != StoreTable.searchEntries.name } == out)
        #expect(into[StoreTable.searchEntries.name] == into["sites"])
        // The indexes set aside for the rows are all made again, as the schema makes them.
        #expect(made.count >= 10 && made.contains { $0.contains("USING gist") }, "\(made)")
        #expect(try Self.indexes(database.url) == made)
        #expect(into["sites"] == 59 && into["site_events"] == 59 && into["sources"] == 2 && (into["audit_log"] ?? 0) > 100, "\(into)")

        // Every row of every table, byte for byte (geometries as WKB).
        let before = try Self.rows(of: original)
        let after = try Self.rows(of: back)
        for table in StoreTable.copied {
            #expect(before[table.name] ?? [] == after[table.name] ?? [], "\(table.name)")
        }
        #expect(before["site_names"]?.contains { $0.contains(.text("fa")) } == true)
        #expect(before["store_metadata"]?.count == 3)
        #expect((before["audit_items"]?.count ?? 0) >= 59)

        // The hash chain verifies on the copy as on the original, to the same head.
        for path in [original, back] {
            let store = try SiteStore(path: path, access: .readOnly)
            defer { try? store.close() }
            var problems: [String] = []
            let summary = try store.verifyAudit { problems.append($0.line) }
            #expect(problems.isEmpty && summary.problems == 0, "\(path): \(problems)")
            #expect(summary.entries > 100 && summary.head != nil, "\(summary)")
        }
        let heads = try [original, back].map { path -> String? in
            let store = try SiteStore(path: path, access: .readOnly)
            defer { try? store.close() }
            return try store.verifyAudit { _ in }.head
        }
        #expect(heads[0] == heads[1])

        // The same store, read through the store's own readers.
        let a = try Self.contents(of: original)
        let b = try Self.contents(of: back)
        #expect(a.sites == b.sites)
        #expect(a.events == b.events)
        #expect(a.sources == b.sources && a.sources.count == 2)
        #expect(a.audit == b.audit)
        #expect(a.sites.contains { $0.names.contains { $0.language == "fa" && $0.direction == .rtl } })
        #expect(a.events.contains { $0.date?.original == "1388-02 SH" })

        // PostGIS holds the geometries as PostGIS reads them: valid, in EPSG:4326.
        let check = try Subprocess.run(["psql", "-X", "-At", "-d", database.url, "-c",
                                        "SELECT count(*), bool_and(ST_IsValid(geom)), min(ST_SRID(geom)), max(version) FROM sites"])
        #expect(check.trimmingCharacters(in: .whitespacesAndNewlines) == "59|t|4326|1")

        // GDAL reads the GeoPackage written from PostGIS.
        let info = try Subprocess.run(["ogrinfo", "-ro", "-so", "-al", back])
        #expect(info.contains("Layer name: sites") && info.contains("Feature Count: 59"), "\(info)")
    }

    /// A copy out of a database that another program writes meanwhile holds one state of it:
    /// psql adds a site and its name in one transaction every few milliseconds while the
    /// database is copied out six times. Each copy goes through (read table by table, a name
    /// came without its site, which the GeoPackage's foreign key refuses), and every site added
    /// meanwhile comes with its name.
    @Test func aCopyOutWhileOthersWriteHoldsOneStateOfTheDatabase() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("original.gpkg").path
        try GeneratedStore.make(at: original, sites: 300, seed: 23)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let source = try StoreLocation(database.url)
        let before = try await StoreCopy.run(from: .geoPackage(path: original), to: source)["sites"] ?? 0
        // Runs until cancelled below (dropping the database would end it too).
        let adding = """
            DO $$
            DECLARE u uuid;
            BEGIN
              FOR i IN 1..10000000 LOOP
                INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity)
                  SELECT geom, 'added meanwhile', site_type, status, condition, location_precision, sensitivity
                  FROM sites ORDER BY fid LIMIT 1
                  RETURNING uuid INTO u;
                INSERT INTO site_names (site_id, lang, name, direction) VALUES (u, 'en', 'added meanwhile ' || i, 'ltr');
                COMMIT;
                PERFORM pg_sleep(0.01);
              END LOOP;
            END $$;
            """
        let url = database.url
        @Sendable func psql(_ sql: String) throws -> String {
            try Subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", url, "-c", sql])
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let writer = Task.detached { try? await offThePool { try psql(adding) } }
        // The copies begin once the writer is writing.
        let started = try await offThePool { () -> Bool in
            for _ in 0..<600 {
                if (Int(try psql("SELECT count(*) FROM sites WHERE name = 'added meanwhile'")) ?? 0) > 0 { return true }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return false
        }
        var problems: [String] = started ? [] : ["the writer did not start"]
        var seen: [Int] = []
        for i in 0..<6 where started {
            let back = folder.appendingPathComponent("back-\(i).gpkg").path
            do {
                let counts = try await StoreCopy.run(from: source, to: .geoPackage(path: back))
                seen.append(counts["sites"] ?? 0)
                let nameless = try await offThePool {
                    try Subprocess.run(["sqlite3", "-readonly", back, """
                        SELECT count(*) FROM sites s WHERE s.name = 'added meanwhile'
                        AND NOT EXISTS (SELECT 1 FROM site_names n WHERE n.site_id = s.uuid)
                        """]).trimmingCharacters(in: .whitespacesAndNewlines)
                }
                if nameless != "0" { problems.append("copy \(i): \(nameless) added sites without their name") }
            } catch {
                problems.append("copy \(i): \(error)")
            }
        }
        let stillWriting = try await offThePool {
            try psql("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%added meanwhile%' AND pid <> pg_backend_pid()")
        }
        _ = try await offThePool {
            try psql("SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE query LIKE '%added meanwhile%' AND pid <> pg_backend_pid()")
        }
        await writer.value
        #expect(problems.isEmpty, "\(problems)")
        // Every copy was made while the database was written, and holds sites added meanwhile.
        #expect(stillWriting == "1" && seen.count == 6 && seen.allSatisfy { $0 > before } && before > 250, "\(before): \(seen), \(stillWriting)")
    }

    @Test func aTargetThatIsNotEmptyIsRefusedAndLeftAsItWas() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("original.gpkg").path
        try GeneratedStore.make(at: original, sites: 8, seed: 7)
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let target = try StoreLocation(database.url)
        _ = try await StoreCopy.run(from: .geoPackage(path: original), to: target)
        let store = PostGISStore(url: try PostgresURL(database.url))
        let counts = try await store.rowCounts()

        await #expect {
            _ = try await StoreCopy.run(from: .geoPackage(path: original), to: target)
        } throws: { error in
            "\(error)".contains("already holds a GraveAtlas store")
        }
        #expect(try await store.rowCounts() == counts)

        // A GeoPackage target must be new: the file there is left alone.
        let existing = folder.appendingPathComponent("existing.gpkg").path
        try Data("not a store".utf8).write(to: URL(fileURLWithPath: existing))
        await #expect(throws: StoreError.alreadyExists(path: existing)) {
            _ = try await StoreCopy.run(from: target, to: .geoPackage(path: existing))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: existing)) == Data("not a store".utf8))
        // Nothing left beside it (the original's own -wal/-shm aside, which SQLite keeps while open elsewhere).
        let listing = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(listing.filter { !$0.hasPrefix("original.gpkg") } == ["existing.gpkg"], "\(listing)")
    }

    @Test func aRowThePostGISSideRefusesLeavesItEmpty() async throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = folder.appendingPathComponent("original.gpkg").path
        try GeneratedStore.make(at: original, sites: 8, seed: 3)
        // A link to a source that is not there: SQLite lets it in with foreign keys off, PostgreSQL does not.
        _ = try Subprocess.run(["sqlite3", original,
                                "INSERT INTO site_sources (site_id, source_id, note) SELECT uuid, '00000000-0000-4000-8000-000000000000', 'dangling' FROM sites LIMIT 1"])
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        await #expect {
            _ = try await StoreCopy.run(from: .geoPackage(path: original), to: StoreLocation(database.url))
        } throws: { error in
            "\(error)".contains("site_sources")
        }
        let store = PostGISStore(url: try PostgresURL(database.url))
        #expect(try await store.rowCounts().values.allSatisfy { $0 == 0 })
        // The indexes the copy set aside are back, as the failed transaction left nothing of its own.
        let empty = try await TestPostgres.newDatabase()
        defer { empty.drop() }
        try await PostGISStore(url: try PostgresURL(empty.url)).migrate()
        #expect(try Self.indexes(database.url) == Self.indexes(empty.url))
    }

    /// Every index of the database's own schema, as `CREATE INDEX` statements, by name.
    static func indexes(_ url: String) throws -> [String] {
        try Subprocess.run(["psql", "-X", "-At", "-d", url, "-c",
                            "SELECT indexname || ': ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname"])
            .split(separator: "\n").map(String.init)
    }
}
