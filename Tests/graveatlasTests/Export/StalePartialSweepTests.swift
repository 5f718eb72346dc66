import Foundation
import Testing

/// What a SIGKILL leaves beside an output (a hidden partial file, with SQLite's companions, or
/// a folder set aside) is removed by the next export to the same name, when the process that
/// wrote it has ended; a partial output of a process still running is never touched.
@Suite struct StalePartialSweepTests {
    /// The id of a process that has ended.
    static func endedProcess() throws -> pid_t {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    @Test func leftoversOfEndedExportsAreSweptAndLiveOnesKept() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-sweep-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("atlas.gpkg").path
        try FullDiskExportTests.makeStore(store, count: 30)
        let dead = try Self.endedProcess()
        let live = getpid()
        let stale = [".sites.gpkg.partial-\(dead)-0000ABCD", ".sites.gpkg.partial-\(dead)-0000ABCD-journal",
                     ".sites.gpkg.extra.partial-\(dead)-00001234"]
        let kept = [".sites.gpkg.partial-\(live)-0000BEEF", ".other.gpkg.partial-\(dead)-0000ABCD",
                    ".sites.gpkg.partial-0000ABCD"]
        for name in stale + kept {
            try Data("x".utf8).write(to: folder.appendingPathComponent(name))
        }
        let aside = folder.appendingPathComponent(".tiles.replaced-\(dead)-00C0FFEE/3/1")
        try FileManager.default.createDirectory(at: aside, withIntermediateDirectories: true)

        let gpkg = try GraveAtlasCommand.run(["export", "gpkg", store, "-o", folder.appendingPathComponent("sites.gpkg").path])
        #expect(gpkg.status == 0, "\(gpkg.stderr)")
        let tiles = try GraveAtlasCommand.run(["export", "tiles", store, "-o", folder.appendingPathComponent("tiles").path,
                                               "--maxzoom", "6"])
        #expect(tiles.status == 0, "\(tiles.stderr)")

        let left = Set(try FileManager.default.contentsOfDirectory(atPath: folder.path))
        for name in stale { #expect(!left.contains(name), "\(name) was left") }
        for name in kept { #expect(left.contains(name), "\(name) was removed") }
        #expect(!left.contains { $0.hasPrefix(".tiles.replaced-") })
    }
}
