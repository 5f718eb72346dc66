import Foundation
import Geometry
import PostGIS
import Store
import TestSupport
import Testing

/// A copy kept in step with its database by reading only the buckets of keys whose digests
/// changed (`PostGISStore.changedRows(since:)`, `SiteStore.refreshRows`): after each round of
/// edits made with psql (no GraveAtlas in the loop: renames, a deleted site and what cascades
/// from it, a row with a negative key, a setting, rows added at the end, a row moved to a new
/// key), the copy holds what a fresh copy of the database holds, table for table, and its
/// R-tree and search index answer as the fresh copy's do, while reading few buckets. A copy
/// given the whole database again each round (`SiteStore.takeRows(from:)`) ends the same.
@Suite struct RefreshRowsTests {
    static func psql(_ url: String, _ sql: String) throws {
        _ = try Subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql])
    }

    /// What differs between the two copies (`StoreChanges`), and between their answers to a
    /// few searches and a nearest query (their indexes).
    static func differences(_ path: String, _ fresh: String) throws -> [String] {
        var out: [String] = []
        for table in StoreTable.copied {
            try StoreChanges.forEach(in: fresh, since: path, table: table) { change, row in
                out.append("\(table.name): \(change) \(row.prefix(4))")
            }
        }
        let mine = try SiteStore(path: path, access: .readOnly), theirs = try SiteStore(path: fresh, access: .readOnly)
        defer { try? mine.close(); try? theirs.close() }
        for words in ["renamed", "fosa", "negative", "added*"] where try mine.search(words) != theirs.search(words) {
            out.append("search '\(words)' answers otherwise")
        }
        for centre in GeneratedStore.centres where try mine.nearest(centre, k: 25) != theirs.nearest(centre, k: 25) {
            out.append("nearest \(centre) answers otherwise")
        }
        return out
    }

    @Test func aCopyTakesOnlyTheBucketsThatChangedAndEndsAsAFreshCopy() async throws {
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let seed = folder.appendingPathComponent("seed.gpkg").path
        try GeneratedStore.make(at: seed, sites: 300, seed: 1367)
        let db = PostGISStore(url: try PostgresURL(database.url))
        _ = try await StoreCopy.run(from: .geoPackage(path: seed), to: .postGIS(db.url))
        let served = folder.appendingPathComponent("served.gpkg").path
        var held = try await StoreCopy.snapshotToFollow(of: db.url, into: served, bucket: 16)
        // A second copy kept in step the other way: the whole database read again, and compared.
        let whole = folder.appendingPathComponent("whole.gpkg").path
        _ = try await StoreCopy.snapshot(of: db.url, into: whole)

        let unchanged = try await db.changedRows(since: held)
        #expect(unchanged?.buckets == 0 && unchanged?.parts.isEmpty == true, "nothing changed, nothing read")

        let url = database.url
        let rounds: [(what: String, sql: String)] = [
            ("a site renamed", "UPDATE sites SET name = 'Renamed by hand', version = version + 1 WHERE fid = 17"),
            ("a site deleted, its names, events and links with it", "DELETE FROM sites WHERE fid = 40"),
            ("a name with a negative key", """
                INSERT INTO site_names (id, site_id, lang, name, direction)
                SELECT -5, uuid, 'en', 'Negative key', 'ltr' FROM sites WHERE fid = 4
                """),
            ("the grid", "UPDATE store_metadata SET value = value || ' ' WHERE key = (SELECT min(key) FROM store_metadata)"),
            ("sites added at the end", """
                INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity, created, updated)
                SELECT ST_SetSRID(ST_MakePoint(51.3 + i / 1000.0, 35.7), 4326), gen_random_uuid(), 'Added ' || i, 'mass_grave',
                       'reported', 'unknown', 'exact', 'public', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
                FROM generate_series(1, 40) i
                """),
            ("a site moved to a new key", "UPDATE sites SET fid = 100000 WHERE fid = 5"),
        ]
        for (index, round) in rounds.enumerated() {
            try Self.psql(url, round.sql)
            let changed = try #require(try await db.changedRows(since: held, most: 1_000))
            let written = try await OwnThread.run {
                let store = try SiteStore(path: served, access: .readWrite)
                defer { try? store.close() }
                return try store.refreshRows(changed.parts)
            }
            held = changed.fingerprints
            let fresh = folder.appendingPathComponent("fresh-\(index).gpkg").path
            _ = try await StoreCopy.snapshot(of: db.url, into: fresh)
            let differences = try Self.differences(served, fresh)
            #expect(differences.isEmpty, "after \(round.what): \(differences.prefix(10))")
            let taken = try await OwnThread.run {
                let store = try SiteStore(path: whole, access: .readWrite)
                defer { try? store.close() }
                return try store.takeRows(from: fresh)
            }
            let wholeDifferences = try Self.differences(whole, fresh)
            #expect(wholeDifferences.isEmpty && taken > 0, "read whole, after \(round.what): \(wholeDifferences.prefix(10))")
            #expect(written > 0, "\(round.what): nothing written")
            // 300 sites and their rows make more than 100 buckets of 16: a round reads a few.
            #expect(changed.buckets <= 12, "\(round.what): \(changed.buckets) buckets read")
        }
        // A row written again as it was: its bucket is read again (a new row version), nothing is written.
        try Self.psql(url, "UPDATE sites SET name = name WHERE fid = 20")
        let same = try #require(try await db.changedRows(since: held))
        let rewritten = try await OwnThread.run {
            let store = try SiteStore(path: served, access: .readWrite)
            defer { try? store.close() }
            return try store.refreshRows(same.parts)
        }
        #expect(same.buckets == 1 && rewritten == 0, "\(same.buckets) buckets, \(rewritten) rows written")
        held = same.fingerprints
        // Too many buckets changed: none read (the caller reads the whole database instead).
        try Self.psql(url, "UPDATE sites SET description = coalesce(description, '') || '.'")
        #expect(try await db.changedRows(since: held, most: 8) == nil)
    }
}
