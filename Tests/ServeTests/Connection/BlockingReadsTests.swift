import Foundation
import NIOCore
import NIOPosix
import Serve
import Testing
import TestSupport

/// A server runs its blocking store reads on threads of its own (`BlockingReads`): with every
/// thread of NIO's process-wide pool held (as another server, or a long export, in the same
/// process would hold them), a health check and an items page are still answered.
@Suite(.serialized) struct BlockingReadsTests {
    @Test func requestsAreAnsweredWhileTheSharedPoolIsFull() async throws {
        let fixture = try ServeFixture.make("own-pool", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let configuration = ServeConfiguration(store: fixture.storePath, host: "127.0.0.1", port: 0)
        try await LiveServer.run(configuration) { url in
            // Off the tasks' threads (the server answers on those): hold every thread of the
            // shared pool until the requests are answered (300 s at most), then ask.
            let answers: [String] = try await offThePool {
                let release = DispatchSemaphore(value: 0)
                let held = NIOSingletons.blockingPoolThreadCountSuggestion
                let holding = DispatchGroup()
                for _ in 0..<held {
                    holding.enter()
                    NIOThreadPool.singleton.submit { _ in
                        holding.leave()
                        _ = release.wait(timeout: .now() + 300)
                    }
                }
                defer { for _ in 0..<held { release.signal() } }
                // Each job has started: the pool has no thread left.
                guard holding.wait(timeout: .now() + 120) == .success else { return ["the shared pool's threads were not all taken"] }
                return try ["healthz", "collections/sites/items?limit=2"].map { path in
                    let run = try ProgramRun.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}",
                                                                    "--max-time", "120", url + path])
                    return "\(path): \(run.standardOutputText)"
                }
            }
            #expect(answers == ["healthz: 200", "collections/sites/items?limit=2: 200"])
        }
    }
}
