import Dispatch
import Foundation
import Geometry
import Hummingbird
import Logging
import Serve
import TestSupport

/// The real server (`ServeApplication.build`, the command's application) on a loopback socket
/// that the system picks, in this process, for tests that need a socket: slow clients, idle
/// connections. Stopped (its task cancelled, and awaited) when `body` returns or throws.
///
/// ```swift
/// try await LiveServer.run(ServeConfiguration(store: path, port: 0, headTimeout: .seconds(2))) { url in … }
/// ```
enum LiveServer {
    static func run(_ configuration: ServeConfiguration, _ body: @Sendable (String) async throws -> Void) async throws {
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error
        let started = StartedURL()
        let app = try ServeApplication.build(configuration, logger: logger) { url in await started.set(url) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        // A server that has not bound its socket within 60 s has failed.
        var url: String?
        for _ in 0..<3_000 where url == nil {
            url = await started.url
            if url == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        do {
            guard let url else { throw FixtureError("the server did not start within 60 s") }
            try await body(url)
        } catch {
            task.cancel()
            _ = await task.result
            throw error
        }
        task.cancel()
        _ = await task.result
    }

    /// Runs `script` with python3 (on a thread of its own, not the tasks' threads), with a time
    /// limit, and parses the JSON it prints.
    static func python(_ script: String, _ arguments: [String], timeout: Double = 300) async throws -> JSONValue {
        try await blocking {
            let run = try ProgramRun.run("python3", ["-c", script] + arguments, timeout: timeout)
            guard run.status == 0 else { throw FixtureError("python3 exited \(run.status): \(run.standardErrorText)") }
            return try JSONValue(parsing: run.standardOutputText)
        }
    }

    /// Runs `body`, which blocks (a client program, a wait), on a dispatch thread: never on
    /// the tasks' few threads, which the server under test needs to answer.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}

private actor StartedURL {
    var url: String?
    func set(_ value: String) { url = value }
}
