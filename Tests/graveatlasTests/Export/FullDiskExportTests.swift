import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// An export that runs out of disk says so and leaves the previous output as it was: on a
/// small tmpfs holding a good export of a small store, the export of a large store to the same
/// name fails with exit 1 and one line naming the output and the full disk; the previous
/// output and its manifest keep their bytes, and nothing is left beside them.
@Suite struct FullDiskExportTests {
    /// A store of `count` points around Madrid, each with a long description (so that the large
    /// store's outputs outgrow the disk).
    static func makeStore(_ path: String, count: Int) throws {
        let store = try SiteStore.create(at: path)
        var rng = SplitMix64(seed: 1936)
        let sites = try (0..<count).map { i in
            Site(geometry: .point(try Point(x: Double.random(in: -4.2 ... -3.2, using: &rng), y: Double.random(in: 40...41, using: &rng))),
                 name: "Fosa \(i)", type: .massGrave, status: .reported, sensitivity: .public,
                 description: String(repeating: "testimonio ", count: 20))
        }
        try store.insertBatch(sites)
        try store.close()
    }

    /// The formats, the output name, and the tmpfs size that holds the small store's output
    /// (with room for its replacement to start) but not the large one's: a 20,000-site
    /// GeoJSON is 6 MB, CSV 2 MB, GeoPackage 10 MB, a tile folder to zoom 14 2 MB, and a
    /// PMTiles archive to zoom 16 250 kB.
    @Test(.enabled(if: ImportInterruptionTests.canMountTmpfs, "needs root and permission to mount a small tmpfs"),
          arguments: [
              ("geojson", "sites.geojson", "1m", [String]()), ("csv", "sites.csv", "1m", []),
              ("gpkg", "sites.gpkg", "1m", []), ("tiles", "tiles", "1m", ["--maxzoom", "14"]),
              ("tiles", "sites.pmtiles", "128k", ["--maxzoom", "16"]),
          ])
    func aFullDiskLeavesThePreviousOutput(format: String, name: String, size: String, options: [String]) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-fulldisk-\(UUID().uuidString)")
        let disk = folder.appendingPathComponent("disk")
        try FileManager.default.createDirectory(at: disk, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = folder.appendingPathComponent("small.gpkg").path
        let large = folder.appendingPathComponent("large.gpkg").path
        try Self.makeStore(small, count: 30)
        try Self.makeStore(large, count: 20_000)
        let mounted = try runProgram("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", disk.path])
        try #require(mounted.status == 0, "\(mounted.stderr)")
        defer { _ = try? runProgram("/bin/umount", [disk.path]) }
        let output = disk.appendingPathComponent(name).path

        let first = try GraveAtlasCommand.run(["export", format, small, "-o", output] + options)
        try #require(first.status == 0, "\(name): the small export does not fit: \(first.stderr)")
        let before = try Self.contents(of: disk.path)

        let full = try GraveAtlasCommand.run(["export", format, large, "-o", output] + options)
        #expect(full.status == 1, "\(name): \(full.stderr)")
        let lines = full.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(name): \(full.stderr)")
        #expect(full.stderr.contains(name), "\(name): \(full.stderr)")
        #expect(full.stderr.contains("the disk is full"), "\(name): \(full.stderr)")
        #expect(try Self.contents(of: disk.path) == before, "\(name): the previous output changed, or something was left beside it")
    }

    /// Every file below `path`, hidden ones included, with its bytes.
    static func contents(of path: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        guard let files = FileManager.default.enumerator(atPath: path) else { return out }
        for case let relative as String in files {
            var isFolder: ObjCBool = false
            let full = path + "/" + relative
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder) else { continue }
            out[relative] = isFolder.boolValue ? Data() : try Data(contentsOf: URL(fileURLWithPath: full))
        }
        return out
    }
}
