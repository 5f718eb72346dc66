import Dispatch
import Foundation
@testable import Serve
import Synchronization
import TestSupport
import Testing

/// The server's own threads (`ServeThreads`): tasks that prefer them run there, in any number,
/// and go on after a stop; and a live server answers while every one of the process's shared
/// task threads is held.
@Suite struct ServeThreadsTests {
    @Test func tasksAndTheirChildrenRunOnTheThreadsAndEveryOneEnds() async throws {
        let threads = ServeThreads(count: 3)
        threads.start()
        defer { threads.stop() }
        let seen = ThreadNames()
        let total = try await Task(executorPreference: threads) { () -> Int in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for i in 0..<2_000 {
                    group.addTask {
                        // Suspends once, so that each child runs in two jobs.
                        try await Task.sleep(for: .microseconds(i % 7))
                        seen.add(ServeThreads.isCurrent ? "the server's" : "another")
                        return i
                    }
                }
                return try await group.reduce(0, +)
            }
        }.value
        #expect(total == (0..<2_000).reduce(0, +))
        #expect(seen.names == ["the server's"], "threads seen: \(seen.names)")
    }

    @Test func aTaskThatOutlivesTheThreadsStillEnds() async throws {
        let threads = ServeThreads(count: 2)
        threads.start()
        let waiting = Task(executorPreference: threads) { () -> Bool in
            try? await Task.sleep(for: .milliseconds(200))
            return !Task.isCancelled
        }
        threads.stop()
        #expect(await waiting.value)
        // Threads never started: a job queued is run all the same once they are stopped.
        let never = ServeThreads(count: 2)
        let queued = Task(executorPreference: never) { 41 + 1 }
        try await Task.sleep(for: .milliseconds(50))
        never.stop()
        #expect(await queued.value == 42)
    }

    @Test func aLiveServerAnswersWhileEverySharedTaskThreadIsHeld() async throws {
        let fixture = try ServeFixture.make("held-threads", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        try await LiveServer.run(ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0)) { url in
            let width = ProcessInfo.processInfo.activeProcessorCount
            let held = HeldThreads()
            for _ in 0..<width { Task.detached { held.hold() } }
            // Asked from a thread of its own, since no task can run until the threads are let go.
            let answer = try await offThePool { () -> (Bool, String) in
                let all = held.waitUntil(width, seconds: 120)
                defer { held.release() }
                let run = try ProgramRun.run("python3", ["-c", Self.health, url], timeout: 60)
                return (all, run.standardOutputText.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            #expect(answer.0, "every shared task thread was held while the server was asked")
            #expect(answer.1 == "200 {\"status\":\"ok\"}", "the health check, asked while they were held: \(answer.1)")
        }
    }

    /// A health check with a 20 s limit: prints the status and the body, or the error.
    static let health = #"""
    import sys, urllib.request
    try:
        with urllib.request.urlopen(sys.argv[1] + "healthz", timeout=20) as r:
            print(r.status, r.read().decode().strip())
    except Exception as e:
        print(repr(e))
    """#
}

/// Which threads ran something.
private final class ThreadNames: Sendable {
    private let seen = Mutex<Set<String>>([])
    func add(_ name: String) { seen.withLock { _ = $0.insert(name) } }
    var names: Set<String> { seen.withLock { $0 } }
}

/// Holds the threads that call `hold()` until `release()`, and counts them.
private final class HeldThreads: Sendable {
    private let count = Mutex(0)
    private let arrived = DispatchSemaphore(value: 0)
    private let gate = DispatchSemaphore(value: 0)
    private let released = Mutex(false)

    func hold() {
        count.withLock { $0 += 1 }
        arrived.signal()
        gate.wait()
        gate.signal()
    }

    /// Whether `n` threads are held within `seconds`.
    func waitUntil(_ n: Int, seconds: Double) -> Bool {
        let end = DispatchTime.now() + seconds
        while count.withLock({ $0 }) < n {
            if arrived.wait(timeout: end) == .timedOut { return false }
        }
        return true
    }

    func release() {
        guard !released.withLock({ let was = $0; $0 = true; return was }) else { return }
        gate.signal()
    }
}
