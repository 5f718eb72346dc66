import Foundation
import Store
import Testing

/// The commands that only read (`query`, `export`, `stats`) open the store read-only: the
/// file's bytes stay as they were, a store on write-protected media answers as `ogrinfo`
/// opens it, and an older store is refused with the command that upgrades it.
@Suite struct ReadOnlyCommandTests {
    static func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Every reading command, each run once against `store`, writing into `out`.
    static func readingCommands(_ store: String, out: String) throws -> [[String]] {
        let area = out + "/area.geojson"
        try Data(#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51,36],[51,35]]]}"#.utf8)
            .write(to: URL(fileURLWithPath: area))
        return [
            ["stats", store],
            ["stats", store, "--format", "json"],
            ["query", "near", store, "--lon", "51.55", "--lat", "35.6", "--radius", "20000"],
            ["query", "nearest", store, "--lon", "51.55", "--lat", "35.6", "-k", "2", "--format", "geojson"],
            ["query", "within", store, "--area", area],
            ["query", "overlaps", store],
            ["query", "search", store, "Khavaran"],
            ["export", "geojson", store, "-o", out + "/sites.geojson"],
            ["export", "csv", store, "-o", out + "/sites.csv", "--audience", "internal"],
        ]
    }

    @Test func readingCommandsLeaveTheStoreAsItWas() throws {
        let (path, folder) = try StoreCommandTests.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let before = try Self.bytes(path)
        for arguments in try Self.readingCommands(path, out: folder.path) {
            let run = try GraveAtlasCommand.run(arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
        }
        #expect(try Self.bytes(path) == before)
        let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
        #expect(wal == 0, "a reading command left \(wal) bytes in the log")
    }

    /// A store in a folder and file the user may not write (a write-protected evidence copy):
    /// run as an unprivileged user (the tests may run as root, whom permissions do not stop).
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")))
    func aStoreOnWriteProtectedMediaAnswers() throws {
        let (path, folder) = try StoreCommandTests.makeStore()
        defer {
            _ = try? runProgram("/bin/chmod", ["-R", "u+w", folder.path])
            try? FileManager.default.removeItem(at: folder)
        }
        let protected = folder.appendingPathComponent("evidence")
        try FileManager.default.createDirectory(at: protected, withIntermediateDirectories: true)
        let copy = protected.appendingPathComponent("atlas.gpkg").path
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let output = folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        // Everyone may read and enter; nobody but root may write.
        for (item, mode) in [(copy, "0444"), (protected.path, "0555"), (output.path, "0777"), (folder.path, "0755")] {
            _ = try runProgram("/bin/chmod", [mode, item])
        }
        let before = try Self.bytes(copy)
        for arguments in try Self.readingCommands(copy, out: output.path) {
            let run = try runProgram("/usr/sbin/runuser", ["-u", "nobody", "--", GraveAtlasCommand.binary.path] + arguments)
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
            #expect(!run.stderr.contains("readonly database"), "\(run.stderr)")
        }
        let near = try runProgram("/usr/sbin/runuser", ["-u", "nobody", "--", GraveAtlasCommand.binary.path,
                                                        "query", "near", copy, "--lon", "51.5485", "--lat", "35.6",
                                                        "--radius", "1000", "--format", "csv"])
        #expect(near.stdout.contains("Khavaran"))
        #expect(try Self.bytes(copy) == before)
        #expect(!FileManager.default.fileExists(atPath: copy + "-shm"))
        // The writer is refused as plainly, naming the file.
        let write = try runProgram("/usr/sbin/runuser", ["-u", "nobody", "--", GraveAtlasCommand.binary.path,
                                                         "import", copy, "/dev/null"])
        #expect(write.status != 0)
    }

    /// A store of an older version: a reading command refuses it (exit 2, one line naming
    /// `graveatlas upgrade`) and leaves it as it was. (The upgrade itself is the migration
    /// that StoreTests' SchemaMigrationTests and ReadOnlyStoreTests follow from version 1.)
    @Test func anOlderStoreIsRefusedNamingTheUpgrade() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-old-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("old.gpkg").path
        let created = try GraveAtlasCommand.run(["init", path])
        #expect(created.status == 0)
        // Mark the store as one written by version 1 (its tables are a superset of version 1's,
        // which is all a reader of the version number can tell).
        let sql = try runProgram("/usr/bin/python3", ["-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute("UPDATE store_metadata SET value = '1' WHERE key = 'schema_version'")
            db.commit()
            """, path])
        #expect(sql.status == 0, "\(sql.stderr)")
        let before = try Self.bytes(path)
        let refused = try GraveAtlasCommand.run(["stats", path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("graveatlas upgrade"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(try Self.bytes(path) == before)
    }

    @Test func upgradeSaysTheVersionOfACurrentStore() throws {
        let (path, folder) = try StoreCommandTests.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = try GraveAtlasCommand.run(["upgrade", path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "\(path) is at schema version \(SiteStore.schemaVersion)\n")
    }
}
