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
            // Every thread of the shared pool waits until the requests are answered (60 s at most).
            let release = DispatchSemaphore(value: 0)
            let held = NIOSingletons.blockingPoolThreadCountSuggestion
            let holding = DispatchGroup()
            for _ in 0..<held {
                holding.enter()
                NIOThreadPool.singleton.submit { _ in
                    holding.leave()
                    _ = release.wait(timeout: .now() + 60)
                }
            }
            // Each job has started: the pool has no thread left.
            #expect(holding.wait(timeout: .now() + 60) == .success, "the shared pool's \(held) threads were taken")
            defer { for _ in 0..<held { release.signal() } }
            for path in ["healthz", "collections/sites/items?limit=2"] {
                let run = try ProgramRun.run("/usr/bin/curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "30",
                                                                url + path])
                #expect(run.standardOutputText == "200", "\(path): \(run.standardOutputText) \(run.standardErrorText)")
            }
        }
    }
}
