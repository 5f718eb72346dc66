import Foundation
import TestSupport
import Testing

/// An import interrupted while it reads a zip leaves nothing in `$TMPDIR`, and a zip that
/// cannot be extracted for lack of space says the disk is full, naming the member inside the
/// user's zip and never the temporary folder.
@Suite struct ImportInterruptionTests {
    /// A folder holding a store, a temporary folder for the import, and `sites.zip` holding
    /// `data/sites.csv` of `rows` points.
    static func scene(rows: Int) throws -> (folder: URL, store: String, zip: String, scratch: String) {
        let (store, folder) = try StoreCommandTests.makeStore()
        let scratch = folder.appendingPathComponent("tmp").path
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        let zip = folder.appendingPathComponent("sites.zip").path
        let script = """
            import sys, zipfile, random
            random.seed(1988)
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                with z.open('data/sites.csv', 'w') as f:
                    f.write(b'name,lon,lat,notes\\n')
                    for i in range(int(sys.argv[2])):
                        f.write(('Fosa %d,%.6f,%.6f,testimony %d\\n' % (i, random.uniform(44, 63), random.uniform(25, 39), i)).encode())
            """
        let made = try runProgram("/usr/bin/python3", ["-c", script, zip, "\(rows)"])
        #expect(made.status == 0, "\(made.stderr)")
        return (folder, store, zip, scratch)
    }

    /// What the import left in the temporary folder it was given.
    static func leftovers(_ scratch: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scratch)
    }

    static func environment(tmpdir: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["TMPDIR"] = tmpdir
        return environment
    }

    /// SIGTERM at several moments after the extraction folder appears (while extracting,
    /// while reading, while writing the store): the folder is gone, the command exits 143,
    /// and the store holds what it held before.
    @Test func aKilledZipImportLeavesNoExtractionFolder() throws {
        let scene = try Self.scene(rows: 400_000)
        defer { try? FileManager.default.removeItem(at: scene.folder) }
        let before = try GraveAtlasCommand.run(["stats", scene.store, "--format", "json"])
        var killedWhileExtracted = 0
        for delay in [0.0, 0.3, 1.0, 2.0] {
            let process = try SpawnedProgram(GraveAtlasCommand.binary.path, ["import", scene.store, scene.zip],
                                             environment: Self.environment(tmpdir: scene.scratch))
            // Wait (without a time limit on the import) until the extraction folder exists.
            var seen = false
            while process.isRunning, !seen {
                seen = try Self.leftovers(scene.scratch).contains { $0.hasPrefix("graveatlas-zip-") }
                if !seen { usleep(2_000) }
            }
            Thread.sleep(forTimeInterval: delay)
            let stillExtracted = try Self.leftovers(scene.scratch).contains { $0.hasPrefix("graveatlas-zip-") }
            process.kill(SIGTERM)
            let ended = try process.wait(timeout: 120, command: ["graveatlas", "import", "(SIGTERM)"])
            if seen, stillExtracted, ended == .init(status: 128 + SIGTERM, signalled: false) { killedWhileExtracted += 1 }
            let left = try Self.leftovers(scene.scratch)
            #expect(left.isEmpty, "after \(delay) s: \(left)")
        }
        #expect(killedWhileExtracted >= 2, "the import was not caught while its zip was extracted")
        let after = try GraveAtlasCommand.run(["stats", scene.store, "--format", "json"])
        #expect(after.stdout == before.stdout)
    }

    /// Whether this machine lets the tests mount a small tmpfs (root in a container that
    /// allows it); the full-disk test is skipped otherwise.
    static let canMountTmpfs: Bool = {
        guard getuid() == 0 else { return false }
        let point = FileManager.default.temporaryDirectory.appendingPathComponent("ga-mount-probe-\(UUID().uuidString)").path
        guard (try? FileManager.default.createDirectory(atPath: point, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: point) }
        guard let mounted = try? runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", point]),
              mounted.status == 0 else { return false }
        _ = try? runProgram("/bin/umount", [point])
        return true
    }()

    /// A zip whose CSV member (about 4 MB) cannot fit in a 1 MB temporary folder: exit 1 (the
    /// machine, not the input), one line naming `sites.zip/data/sites.csv` and the full disk,
    /// no temporary path, and the temporary folder left empty.
    @Test(.enabled(if: canMountTmpfs, "needs root and permission to mount a small tmpfs"))
    func aFullTemporaryDiskIsNamedAsSuch() throws {
        let scene = try Self.scene(rows: 100_000)
        defer { try? FileManager.default.removeItem(at: scene.folder) }
        let mounted = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", scene.scratch])
        try #require(mounted.status == 0, "\(mounted.stderr)")
        defer { _ = try? runProgram("/bin/umount", [scene.scratch]) }
        let run = try GraveAtlasCommand.run(["import", scene.store, scene.zip],
                                            environment: Self.environment(tmpdir: scene.scratch))
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(scene.zip + "/data/sites.csv"), "\(run.stderr)")
        #expect(run.stderr.contains("disk") && run.stderr.contains("full"), "\(run.stderr)")
        #expect(!run.stderr.contains(scene.scratch) && !run.stderr.contains("graveatlas-zip-"), "\(run.stderr)")
        #expect(!run.stderr.contains("not a shapefile"))
        #expect(try Self.leftovers(scene.scratch).isEmpty)
    }
}
