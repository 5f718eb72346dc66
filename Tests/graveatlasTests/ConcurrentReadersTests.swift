import Foundation
import Synchronization
import Testing

/// Readers never wait on a writer: 8 processes run queries and exports in a loop while a
/// large import writes the store, and while it commits, checkpoints its log and closes.
/// Shown without timing anything: every reading command runs with `GRAVEATLAS_TRACE_LOCKS=1`
/// and reports how many of its reads had to wait for a lock (SQLite's busy handler ran);
/// every one must report none, and exit 0.
///
/// Size: 30,000 points. The tests run the debug build, which imports about 7,000 points a
/// second alone and a fifth of that beside 8 busy readers on two cores: 30,000 keep the test
/// under a minute while the readers still run through the whole import, its commit and its
/// final checkpoint. `tools/bench/readers` runs the issue's million with the release build
/// and reports the longest query.
@Suite(.serialized) struct ConcurrentReadersTests {
    static let sites = 30_000
    static let readers = 8

    /// The reading commands a reader cycles through, against `store`, writing into `out`.
    static func commands(_ store: String, area: String, out: String) -> [[String]] {
        [
            ["query", "near", store, "--lon", "51.55", "--lat", "35.6", "--radius", "20000", "--limit", "50"],
            ["query", "within", store, "--area", area],
            ["query", "search", store, "Khavaran", "--limit", "50"],
            ["stats", store],
            ["query", "nearest", store, "--lon", "48.7", "--lat", "31.3", "-k", "5", "--format", "geojson"],
            ["export", "geojson", store, "-o", out + ".geojson", "--bbox", "51.5,35.5,51.7,35.7"],
        ]
    }

    /// One reading command's run, with what its lock trace said.
    struct Reading: Sendable {
        let arguments: [String]
        let status: Int32
        let stderr: String
        /// The trace line's wait count (nil when the line is missing).
        var waits: Int? {
            guard let line = stderr.split(separator: "\n").last(where: { $0.hasPrefix("graveatlas: read waits: ") }),
                  let number = line.dropFirst("graveatlas: read waits: ".count).split(separator: " ").first
            else { return nil }
            return Int(number)
        }
    }

    @Test func readersNeverWaitDuringALargeImport() throws {
        let (store, folder) = try StoreCommandTests.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("many.csv").path
        let made = try runProgram("/usr/bin/python3", ["-c", """
            import sys, random
            random.seed(1988)
            with open(sys.argv[1], 'w') as f:
                f.write('name,lon,lat,notes\\n')
                for i in range(int(sys.argv[2])):
                    f.write('Fosa %d,%.6f,%.6f,testimony %d\\n' % (i, random.uniform(44, 63), random.uniform(25, 39), i))
            """, csv, "\(Self.sites)"])
        try #require(made.status == 0, "\(made.stderr)")
        let area = folder.appendingPathComponent("area.geojson").path
        try Data(#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51,36],[51,35]]]}"#.utf8)
            .write(to: URL(fileURLWithPath: area))
        var environment = ProcessInfo.processInfo.environment
        environment["GRAVEATLAS_TRACE_LOCKS"] = "1"

        let importing = Atomic<Bool>(true)
        let readings = Mutex<[Reading]>([])
        let duringImport = Mutex<[Int]>(Array(repeating: 0, count: Self.readers))
        let group = DispatchGroup()
        for reader in 0..<Self.readers {
            let commands = Self.commands(store, area: area, out: folder.appendingPathComponent("out-\(reader)").path)
            let environment = environment
            // A thread each: the dispatch pool may run only as many blocking jobs as there are
            // cores, and the readers must run side by side.
            group.enter()
            Thread {
                defer { group.leave() }
                var turn = reader
                // Through the import, then one more round once it has closed the store.
                var last = false
                while true {
                    let wasImporting = importing.load(ordering: .acquiring)
                    let arguments = commands[turn % commands.count]
                    turn += 1
                    let reading: Reading
                    do {
                        let run = try GraveAtlasCommand.run(arguments, environment: environment)
                        reading = Reading(arguments: arguments, status: run.status, stderr: run.stderr)
                    } catch {
                        reading = Reading(arguments: arguments, status: -1, stderr: "\(error)")
                    }
                    readings.withLock { $0.append(reading) }
                    if wasImporting, importing.load(ordering: .acquiring) { duringImport.withLock { $0[reader] += 1 } }
                    if last { break }
                    if !importing.load(ordering: .acquiring) { last = true }
                }
            }.start()
        }
        let imported = try GraveAtlasCommand.run(["import", store, csv], environment: environment)
        importing.store(false, ordering: .releasing)
        group.wait()

        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stderr.contains("\(Self.sites)"), "\(imported.stderr)")
        // The import checkpointed its log (after its commit and as it closed) while the
        // readers ran.
        let checkpoints = imported.stderr.split(separator: "\n").last { $0.contains("checkpoints: ") }
            .flatMap { Int($0.split(separator: " ").last ?? "") }
        #expect((checkpoints ?? 0) >= 1, "\(imported.stderr)")

        let all = readings.withLock { $0 }
        let counts = duringImport.withLock { $0 }
        #expect(counts.allSatisfy { $0 >= 1 }, "every reader ran during the import: \(counts)")
        for reading in all {
            #expect(reading.status == 0, "\(reading.arguments.joined(separator: " ")): \(reading.stderr)")
            #expect(reading.waits == 0, "\(reading.arguments.joined(separator: " ")) waited: \(reading.stderr)")
        }
        // The readers after the import saw it whole.
        let stats = try GraveAtlasCommand.run(["stats", store, "--format", "json"])
        #expect(stats.stdout.contains("\(Self.sites + 4)"), "\(stats.stdout)")
    }
}
