import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// Exports are atomic: killed at random moments (SIGTERM, which the command handles, and
/// SIGKILL, which it cannot), every output is still the previous whole file or folder, and
/// after SIGTERM nothing is left beside it.
@Suite struct AtomicExportTests {
    /// A store big enough for an export to take a moment: 20,000 points around Madrid.
    static func makeStore(_ folder: URL) throws -> String {
        let path = folder.appendingPathComponent("atlas.gpkg").path
        let store = try SiteStore.create(at: path)
        var rng = SplitMix64(seed: 1939)
        let sites = try (0..<20_000).map { i in
            Site(geometry: .point(try Point(x: Double.random(in: -4.2 ... -3.2, using: &rng), y: Double.random(in: 40...41, using: &rng))),
                 name: "Fosa \(i)", type: .massGrave, status: .reported,
                 sensitivity: i % 5 == 0 ? .restricted : .public, description: String(repeating: "testimonio ", count: 20))
        }
        try store.insertBatch(sites)
        try store.close()
        return path
    }

    /// Every file under `path` (or the file itself) with its bytes, for comparing whole outputs.
    static func snapshot(_ path: String) throws -> [String: Data] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [:] }
        guard isFolder.boolValue else { return ["": try Data(contentsOf: URL(fileURLWithPath: path))] }
        var out: [String: Data] = [:]
        guard let files = FileManager.default.enumerator(atPath: path) else { return out }
        for case let relative as String in files {
            var dir: ObjCBool = false
            let full = path + "/" + relative
            if FileManager.default.fileExists(atPath: full, isDirectory: &dir), !dir.boolValue {
                out[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return out
    }

    @Test(arguments: [
        ("geojson", "sites.geojson"), ("csv", "sites.csv"), ("gpkg", "sites.gpkg"),
        ("tiles", "sites.pmtiles"), ("tiles", "tiles"),
    ])
    func aKilledExportLeavesThePreviousOutput(format: String, name: String) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try Self.makeStore(folder)
        let output = folder.appendingPathComponent(name).path
        let arguments = ["export", format, store, "-o", output] + (format == "tiles" ? ["--maxzoom", "9"] : [])
        let first = try GraveAtlasCommand.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let previous = try Self.snapshot(output)
        #expect(!previous.isEmpty)
        // How long a whole export takes, to aim the kills inside it.
        let start = Date()
        let second = try GraveAtlasCommand.run(arguments)
        var whole = Date().timeIntervalSince(start)
        // A second export over the first replaces it (a tile folder included).
        #expect(second.status == 0, "\(name): \(second.stderr)")
        var rng = SplitMix64(seed: 2025)
        var killedMidway = 0
        // Six rounds at least, and more (up to 24) until three kills have landed while the
        // export ran: on a loaded machine an export can take far more or less than `whole`, so a
        // kill that came after the export had finished halves the time the next ones aim at.
        var round = 0
        while round < 6 || (killedMidway < 3 && round < 24) {
            defer { round += 1 }
            let process = try SpawnedProgram(GraveAtlasCommand.binary.path, arguments)
            Thread.sleep(forTimeInterval: Double.random(in: 0.05...0.9, using: &rng) * whole)
            let signal = round % 2 == 0 ? SIGTERM : SIGKILL
            process.kill(signal)
            let ended = try process.wait(timeout: 120, command: ["graveatlas"] + arguments)
            if ended.signalled || ended.status == 128 + signal {
                killedMidway += 1
            } else if ended.status == 0 {
                whole /= 2
            }
            // The same store gives the same bytes: whether the kill came before or after the
            // rename, the output is the previous one, whole. (A GeoPackage records when it was
            // written: a new one, moved into place before the kill landed, must then be whole
            // as GDAL reads it.)
            let now = try Self.snapshot(output)
            if format == "gpkg", now != previous {
                let info = try runProgram("/usr/bin/env", ["ogrinfo", "-ro", "-so", "-al", output])
                #expect(info.status == 0 && info.stdout.contains("Feature Count: 20000"), "\(name), round \(round): \(info.stderr)")
            } else {
                #expect(now == previous, "\(name), round \(round), signal \(signal)")
            }
            let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".partial-") }
            if signal == SIGTERM {
                #expect(left.isEmpty, "\(name): SIGTERM left \(left)")
            }
            for file in left { try? FileManager.default.removeItem(atPath: folder.path + "/" + file) }
        }
        #expect(killedMidway >= 3, "\(name): only \(killedMidway) of \(round) kills landed while the export ran")
    }
}
