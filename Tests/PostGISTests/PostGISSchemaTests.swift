import Foundation
import PostGIS
import Store
import TestSupport
import Testing

/// The schema in a real PostgreSQL with PostGIS: the same columns as the GeoPackage store,
/// its indexes, its version table; made once, refused when newer.
@Suite struct PostGISSchemaTests {
    static func psql(_ url: String, _ sql: String) throws -> [String] {
        try Subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
            .split(separator: "\n").map(String.init)
    }

    @Test func migrationMakesTheStoresTablesOnceAndRecordsItsVersion() async throws {
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let store = PostGISStore(url: try PostgresURL(database.url))
        #expect(try await store.schemaVersion() == 0)
        try await store.migrate()
        try await store.migrate()   // a second time: nothing to do
        #expect(try await store.schemaVersion() == PostGISStore.schemaVersionWritten)
        #expect(try Self.psql(database.url, "SELECT version FROM graveatlas_schema ORDER BY 1") == ["1", "2", "3"])

        for table in StoreTable.copied + [.searchEntries] {
            let columns = try Self.psql(database.url, """
                SELECT column_name FROM information_schema.columns WHERE table_name = '\(table.name)' ORDER BY ordinal_position
                """)
            let expected = table.columnNames + (table.name == "sites" ? ["version"] : table == .searchEntries ? ["words"] : [])
            #expect(columns == expected, "\(table.name)")
        }
        let geometry = try Self.psql(database.url, "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'sites'")
        #expect(geometry == ["GEOMETRY|4326"])
        let indexes = try Self.psql(database.url, "SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE tablename = 'sites' ORDER BY 1")
        #expect(indexes.contains { $0.hasPrefix("sites_geom ") && $0.contains("USING gist (geom)") }, "\(indexes)")
        #expect(indexes.contains { $0.hasPrefix("sites_geog ") && $0.contains("gist (((geom)::geography))") }, "\(indexes)")
        #expect(try await store.rowCounts().values.allSatisfy { $0 == 0 })
        // The tokens' table keeps a hash, an audience and a label; a label names one token not revoked.
        let tokenColumns = try Self.psql(database.url, """
            SELECT column_name FROM information_schema.columns WHERE table_name = 'api_tokens' ORDER BY ordinal_position
            """)
        #expect(tokenColumns == ["id", "hash", "audience", "label", "created", "revoked"])
        let hash = String(repeating: "ab", count: 32)
        #expect(try Self.psql(database.url, "INSERT INTO api_tokens (hash, audience, label) VALUES ('\(hash)', 'partner', 'ngo') RETURNING created ~ '^\\d{4}-'") == ["t"])
        for bad in ["('\(hash.uppercased())', 'partner', 'other')", "('\(String(hash.dropFirst(2)))cd', 'public', 'other')",
                    "('\(String(hash.dropFirst(2)))cd', 'partner', 'ngo')", "('\(String(hash.dropFirst(2)))cd', 'partner', '')"] {
            #expect(throws: (any Error).self, "\(bad)") { try Self.psql(database.url, "INSERT INTO api_tokens (hash, audience, label) VALUES \(bad)") }
        }
        _ = try Self.psql(database.url, "UPDATE api_tokens SET revoked = 'now'")
        _ = try Self.psql(database.url, "INSERT INTO api_tokens (hash, audience, label) VALUES ('\(String(hash.dropFirst(2)))cd', 'partner', 'ngo')")

        // The GeoPackage store's rules hold here too.
        #expect(throws: (any Error).self) {
            try Self.psql(database.url, "INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity) VALUES (ST_SetSRID(ST_MakePoint(1, 2), 4326), 'x', 'not_a_type', 'reported', 'unknown', 'exact', 'public')")
        }
        let inserted = try Self.psql(database.url, "INSERT INTO sites (geom, name, site_type, status, condition, location_precision, sensitivity) VALUES (ST_SetSRID(ST_MakePoint(1, 2), 4326), 'x', 'mass_grave', 'reported', 'unknown', 'exact', 'public') RETURNING version, created ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$'")
        #expect(inserted == ["1|t"])
    }

    @Test func aNewerSchemaIsRefusedSayingSo() async throws {
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let store = PostGISStore(url: try PostgresURL(database.url))
        try await store.migrate()
        _ = try Self.psql(database.url, "INSERT INTO graveatlas_schema (version) VALUES (99)")
        await #expect {
            try await store.migrate()
        } throws: { error in
            "\(error)".contains("version 99, newer than this program's \(PostGISStore.schemaVersionWritten)")
        }
    }

    @Test func aServerThatIsNotThereIsNamedWithoutThePassword() async throws {
        let store = PostGISStore(url: try PostgresURL("postgresql://ana:topsecret@/nothing?host=/nonexistent-folder"))
        await #expect {
            try await store.migrate()
        } throws: { error in
            let message = "\(error)"
            return message.contains("postgresql://ana@/nothing?host=/nonexistent-folder: cannot connect") && !message.contains("topsecret")
        }
    }
}
