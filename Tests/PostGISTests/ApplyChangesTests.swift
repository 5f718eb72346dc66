import Foundation
import Import
import PostGIS
import Store
import TestSupport
import Testing

/// Writes made on copies of a database, written back with `PostGISStore.applyChanges`: two
/// writers that read the same state and change the same site, one is refused and nothing of
/// it is written; writers of other sites are all kept, their audit entries chained in the
/// order they were written.
@Suite struct ApplyChangesTests {
    /// A GeoJSON file of sites keyed by `key`, each with its description.
    static func file(_ path: String, _ sites: [(key: String, name: String, lon: Double, description: String)]) throws {
        let features = sites.map { site in
            """
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [\(site.lon), 35.7]},
             "properties": {"key": "\(site.key)", "name": "\(site.name)", "description": "\(site.description)"}}
            """
        }
        let text = #"{"type": "FeatureCollection", "features": ["# + features.joined(separator: ",\n") + "]}"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// One writer: the database read into a private copy, then `sites` imported into it as
    /// `dataset`, keyed; `apply` writes it back.
    struct Writer {
        let db: PostGISStore
        let copy: String
        let before: String
        let marks: ReadMarks

        init(_ db: PostGISStore, in folder: URL, name: String) async throws {
            self.db = db
            copy = folder.appendingPathComponent("\(name).gpkg").path
            before = folder.appendingPathComponent("\(name)-before.gpkg").path
            marks = try await StoreCopy.snapshot(of: db.url, into: copy)
            try FileManager.default.copyItem(atPath: copy, toPath: before)
        }

        func importing(_ sites: [(key: String, name: String, lon: Double, description: String)], dataset: String,
                       folder: URL) throws {
            let input = folder.appendingPathComponent("\(UUID().uuidString).geojson").path
            try ApplyChangesTests.file(input, sites)
            let store = try SiteStore(path: copy, access: .readWrite)
            defer { try? store.close() }
            var options = ImportOptions()
            options.dataset = dataset
            options.key = "key"
            _ = try StoreImport(store: store, options: options).run(files: [URL(fileURLWithPath: input)])
        }

        func apply() async throws -> [String: [RowChange: Int]] {
            try await db.applyChanges(in: copy, since: before, read: marks)
        }
    }

    /// The database's sites' descriptions by key, its version of each, and its audit findings.
    static func state(_ db: PostGISStore, folder: URL) async throws -> (descriptions: [String: String], problems: [AuditProblem]) {
        let path = folder.appendingPathComponent("state-\(UUID().uuidString).gpkg").path
        _ = try await StoreCopy.run(from: .postGIS(db.url), to: .geoPackage(path: path))
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        var descriptions: [String: String] = [:]
        try store.forEachSite { descriptions[$0.site.sourceKey ?? ""] = $0.site.description ?? "" }
        var problems: [AuditProblem] = []
        _ = try store.verifyAudit { problems.append($0) }
        return (descriptions, problems)
    }

    @Test func theSecondWriterOfASiteIsRefusedAndWritersOfOtherSitesAreKept() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-apply-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = try await TestPostgres.newDatabase()
        defer { database.drop() }
        let db = PostGISStore(url: try PostgresURL(database.url))
        let seed = folder.appendingPathComponent("seed.gpkg").path
        let made = try SiteStore.create(at: seed)
        try made.close()
        _ = try await StoreCopy.run(from: .geoPackage(path: seed), to: .postGIS(db.url))
        let first = try await Writer(db, in: folder, name: "first")
        try first.importing([("a1", "Golzar", 51.30, "first"), ("a2", "Behesht", 51.31, "first"),
                             ("b1", "Lanat-abad", 51.40, "first")], dataset: "a", folder: folder)
        #expect(try await first.apply()["sites"]?[.added] == 3)

        // Three writers read the same state.
        let (one, two, three) = (try await Writer(db, in: folder, name: "one"), try await Writer(db, in: folder, name: "two"),
                                 try await Writer(db, in: folder, name: "three"))
        try one.importing([("a1", "Golzar", 51.30, "one")], dataset: "a", folder: folder)
        try two.importing([("a1", "Golzar", 51.30, "two")], dataset: "a", folder: folder)
        try three.importing([("a2", "Behesht", 51.31, "three")], dataset: "a", folder: folder)
        #expect(try await one.apply()["sites"]?[.changed] == 1)
        // The second edit of a1 is refused, naming the site; nothing of it is written.
        await #expect {
            _ = try await two.apply()
        } throws: { error in
            guard case PostGISError.conflict(_, let reason) = error else { return false }
            return reason.contains("Golzar") && reason.contains("changed by another writer")
        }
        // An edit of another site, read before the first was written, is kept: its audit entry
        // follows the first's.
        #expect(try await three.apply()["sites"]?[.changed] == 1)

        // Two writers add sites to one dataset from the same state: the second is refused (it
        // could add a site the first added); to another dataset, it is kept.
        let (four, five, six) = (try await Writer(db, in: folder, name: "four"), try await Writer(db, in: folder, name: "five"),
                                 try await Writer(db, in: folder, name: "six"))
        try four.importing([("a3", "Jadeh", 51.32, "four")], dataset: "a", folder: folder)
        try five.importing([("a3", "Jadeh", 51.32, "five")], dataset: "a", folder: folder)
        try six.importing([("b2", "Kafarabad", 51.41, "six")], dataset: "b", folder: folder)
        #expect(try await four.apply()["sites"]?[.added] == 1)
        await #expect {
            _ = try await five.apply()
        } throws: { error in
            guard case PostGISError.conflict(_, let reason) = error else { return false }
            return reason.contains("dataset a")
        }
        #expect(try await six.apply()["sites"]?[.added] == 1)

        let state = try await Self.state(db, folder: folder)
        #expect(state.descriptions == ["a1": "one", "a2": "three", "a3": "four", "b1": "first", "b2": "six"])
        #expect(state.problems.isEmpty, "\(state.problems)")
    }
}
