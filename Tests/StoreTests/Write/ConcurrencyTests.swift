import Foundation
import Geometry
import Synchronization
import TestSupport
import Testing
@testable import Store

@Suite struct ConcurrencyTests {
    /// While one task writes a large batch, readers keep answering and never see part of it.
    @Test func readersKeepAnsweringDuringABatch() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("busy.gpkg"))
        try store.insertBatch(try (0..<10).map { try SiteFixtures.point(Double($0), 0) })
        let batch = try (0..<15_000).map { try SiteFixtures.point(Double($0 % 360) - 180, Double($0 % 170) - 85) }
        // The writer on a thread of its own: a task could wait behind the tests that fill the
        // concurrency pool, while this one reads in a loop.
        let failure = Mutex<String?>(nil)
        let finished = DispatchSemaphore(value: 0)
        Thread {
            do { try store.insertBatch(batch) } catch { failure.withLock { $0 = "\(error)" } }
            finished.signal()
        }.start()
        var readsDuringWrite = 0
        var counts = Set<Int>()
        // Read until the batch has committed (or failed); every read must see all or none of it.
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline {
            let count = try store.siteCount()
            counts.insert(count)
            let near = try store.nearest(Position(x: 0, y: 0), k: 1)
            #expect(near.count == 1)
            if count != 10 || failure.withLock({ $0 }) != nil { break }
            readsDuringWrite += 1
        }
        finished.wait()
        #expect(failure.withLock { $0 } == nil)
        #expect(counts.isSubset(of: [10, 15_010]))
        #expect(readsDuringWrite > 0, "the batch finished before any read: the test proved nothing")
        #expect(try store.siteCount() == 15_010)
        try store.close()
    }

    /// A process killed with SIGKILL in the middle of a batch leaves a valid store holding
    /// none of that batch.
    @Test func killedBatchLeavesAValidStoreWithoutIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("crash.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insertBatch(try (0..<25).map { try SiteFixtures.point(Double($0), 1) })
        try store.close()

        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("StoreBench")
        let candidates = [binary.path, try PackageRoot.url().appendingPathComponent(".build/debug/StoreBench").path]
        let executable = try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0) },
                                      "StoreBench is not built next to the tests")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["batch-into", path, "5000000"]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let started = out.fileHandleForReading.availableData
        #expect(String(decoding: started, as: UTF8.self).contains("started"))
        Thread.sleep(forTimeInterval: 0.5)
        #expect(process.isRunning, "the batch ended before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let reopened = try SiteStore(path: path)
        #expect(try reopened.siteCount() == 25)
        try reopened.insert(try SiteFixtures.point(5, 5))
        #expect(try reopened.auditLog().allSatisfy { $0.action != "batch_insert" || $0.detail?.contains("crash") == false })
        try reopened.close()
        #expect(try Oracle.validate(path) == "")
        #expect(try Oracle.run("ogrinfo", ["-ro", "-so", path, "sites"]).stdout.contains("Feature Count: 26"))
    }
}
