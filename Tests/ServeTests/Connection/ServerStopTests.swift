import Dispatch
import Foundation
import NIOPosix
@testable import Serve
import Testing
import TestSupport

/// Stopping a live server in this process, as the tests stop theirs and as SIGTERM stops the
/// command's: gracefully, with requests that cannot finish cut when the grace period runs out.
/// The process survives every stop. No test here claims a speed: each bounds its waits, so
/// that a stop that never ends fails the test instead of holding it.
@Suite(.serialized) struct ServerStopTests {
    /// Health checks whose store reads queue behind the server's two read threads, both held,
    /// and a POST whose body trickles in (its deadline 300 s away): a stop waits for them; the
    /// threads go free within the grace period, and the health checks are answered; the POST
    /// is cut at its end, its connection closed, and the stop ends.
    @Test func aStopAnswersTheRequestsThatFinishWithinTheGracePeriodAndCutsTheOne() async throws {
        let (outcome, results) = try await Self.stop(releasingTheReads: true)
        #expect(outcome == .cut(requests: 1), "the trickled POST")
        #expect(results.count == 3, "\(results)")
        #expect(results.prefix(2).allSatisfy { $0["status"] as? Int == 200 }, "answered within the grace period: \(results)")
        #expect(results.last?["closed"] as? Bool == true, "cut, its connection closed with no answer: \(results)")
    }

    /// The same, the read threads held past the grace period (as reads on a hung disk would
    /// hold them): the health checks' reads, queued, are abandoned, and they are cut with the
    /// POST. The stop ends all the same, and this process goes on.
    @Test func aStopWhoseReadThreadsStayHeldCutsTheReadsQueuedBehindThem() async throws {
        let (outcome, results) = try await Self.stop(releasingTheReads: false)
        #expect(outcome == .cut(requests: 3), "the two health checks and the trickled POST")
        #expect(results.count == 3 && results.allSatisfy { $0["closed"] as? Bool == true },
                "each cut, its connection closed with no answer: \(results)")
    }

    /// A 4 MiB file on its way to a client that had read none of it when the stop came (its
    /// 4 KiB receive buffer full): the connection stays open until the file is sent, and the
    /// client gets all of it (Hummingbird closes a connection once its last response is written,
    /// and NIO would drop what was not yet sent). The idle clock, which runs from the end of a
    /// response being written, is set long: through that buffer the file takes seconds.
    @Test func aDownloadUnderWayWhenTheStopComesIsSentInFull() async throws {
        let fixture = try ServeFixture.make("stop-download", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let web = try StuckRequests.WebFolder.make(bigSize: 4 << 20)
        defer { web.remove() }
        var configuration = ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0, idleTimeout: .seconds(300),
                                               webMap: WebMap(folder: try WebFolder(path: web.path)))
        configuration.shutdownGrace = .seconds(60)
        let output = fixture.folder + "/clients.json", go = fixture.folder + "/read-now"
        let clients = Spawned()
        let outcome = try await LiveServer.serve(configuration) { running in
            let url = running.url
            try await offThePool {
                clients.set(try StuckRequests.start(url, [.unreadUntilFile("web/big.bin", untilFile: go)], output: output))
                try StuckRequests.waitForUnreadAnswer(output: output)
            }
            running.stop.stop()
            FileManager.default.createFile(atPath: go, contents: nil)
        }
        #expect(outcome == .finished)
        let results = try StuckRequests.results(of: try #require(clients.program), output: output)
        #expect(results.first?["status"] as? Int == 200 && results.first?["bytes"] as? Int == web.bigSize,
                "the whole file: \(results)")
    }

    /// A live server whose two read threads are held (jobs of the test's own on its pool) gets
    /// two health checks and a trickled POST, then is stopped (grace period 3 s); the held
    /// threads go free right after the stop, or only once the stop has ended.
    static func stop(releasingTheReads: Bool) async throws -> (ServeStop.Outcome, [[String: Any]]) {
        let fixture = try ServeFixture.make("stop-stuck", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        var configuration = ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0, bodyTimeout: .seconds(300))
        configuration.readThreads = 2
        configuration.shutdownGrace = .seconds(3)
        let output = fixture.folder + "/clients.json"
        let clients = Spawned(), before = Statuses()
        let hold = ReadHold()
        // Whatever happens, the held threads go free.
        defer { hold.release() }
        let outcome = try await LiveServer.serve(configuration) { running in
            let url = running.url, server = running.server
            try await offThePool {
                before.set(try ["conformance", "healthz"].map { path in
                    try ProgramRun.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "60", url + path])
                        .standardOutputText
                })
                try hold.take(server.reads.threads, count: 2)
                clients.set(try StuckRequests.start(url, [.get("healthz"), .get("healthz"), .trickle("query/within")], output: output))
                // The server has read the three heads.
                try StuckRequests.waitUntil("3 requests in flight") { server.connections.unanswered == 3 }
            }
            running.stop.stop()
            if releasingTheReads { hold.release() }
        }
        hold.release()
        #expect(before.value == ["200", "200"], "answered before the threads were held")
        return (outcome, try StuckRequests.results(of: try #require(clients.program), output: output))
    }

    /// Clients connecting as fast as they can while the server stops, twelve times over: every
    /// connection the server accepted is handed on and answered or closed. (A server cancelled
    /// while it accepts drops the connections NIO accepted and had not yet handed on, and NIO
    /// then stops the process: "Deinited NIOAsyncWriter without calling finish()".)
    @Test func aServerStoppedWhileClientsKeepConnectingStopsWithoutCrashing() async throws {
        let fixture = try ServeFixture.make("stop-busy", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        var configuration = ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0)
        configuration.shutdownGrace = .seconds(5)
        for _ in 0..<12 {
            let hammer = Spawned()
            let outcome = try await LiveServer.run(configuration) { url in
                hammer.set(try SpawnedProgram("python3", ["-c", Self.hammer, url, "3"]))
                try await Task.sleep(for: .milliseconds(600))
            }
            #expect(outcome == .finished, "a health check is answered well within the grace period")
            _ = try hammer.program?.wait(timeout: 60, command: ["python3", "hammer"])
        }
    }

    /// argv[1] the server's URL, argv[2] seconds: eight threads open connection after connection,
    /// each asking for /healthz, until the time is up; prints the statuses and errors counted.
    static let hammer = #"""
    import collections, json, socket, sys, threading, time, urllib.parse
    u = urllib.parse.urlparse(sys.argv[1])
    end = time.monotonic() + float(sys.argv[2])
    counts = collections.Counter()
    def run():
        while time.monotonic() < end:
            try:
                s = socket.create_connection((u.hostname, u.port), timeout=2)
                s.sendall(b"GET /healthz HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                s.close()
                counts[data[9:12].decode("latin-1") or "closed"] += 1
            except OSError as e:
                counts[type(e).__name__] += 1
    threads = [threading.Thread(target=run) for _ in range(8)]
    for t in threads: t.start()
    for t in threads: t.join()
    print(json.dumps(counts))
    """#
}

/// A program started inside a closure and waited for outside it.
final class Spawned: @unchecked Sendable {
    private let lock = NSLock()
    private var started: SpawnedProgram?
    var program: SpawnedProgram? { lock.withLock { started } }
    func set(_ program: SpawnedProgram) { lock.withLock { started = program } }
}

/// Jobs of a test's own that hold threads of a pool until released.
final class ReadHold: @unchecked Sendable {
    private let lock = NSLock()
    private var released = false
    private let gate = DispatchSemaphore(value: 0)
    private var held = 0

    /// Holds `count` threads of `pool`; returns once each job has started (60 s at most).
    func take(_ pool: NIOThreadPool, count: Int) throws {
        let started = DispatchGroup()
        for _ in 0..<count {
            started.enter()
            lock.withLock { held += 1 }
            pool.submit { [gate] _ in
                started.leave()
                _ = gate.wait(timeout: .now() + 300)
            }
        }
        guard started.wait(timeout: .now() + 60) == .success else { throw FixtureError("the pool's threads were not all taken") }
    }

    /// Lets every held job end (once).
    func release() {
        let count = lock.withLock { () -> Int in
            defer { released = true }
            return released ? 0 : held
        }
        for _ in 0..<count { gate.signal() }
    }
}

/// Statuses gathered inside a closure and checked outside it.
final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [String] = []
    var value: [String] { lock.withLock { statuses } }
    func set(_ value: [String]) { lock.withLock { statuses = value } }
}
