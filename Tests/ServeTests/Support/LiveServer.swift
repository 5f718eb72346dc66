import Foundation
import Geometry
import Hummingbird
import Logging
@testable import Serve
import TestSupport

/// The real server (`ServeApplication.build`, the command's application) on a loopback socket
/// that the system picks, in this process, for tests that need a socket: slow clients, idle
/// connections. Stopped gracefully (as SIGTERM stops the command's) when `body` returns or
/// throws, and awaited.
///
/// ```swift
/// try await LiveServer.run(ServeConfiguration(store: path, port: 0, headTimeout: .seconds(2))) { url in … }
/// ```
enum LiveServer {
    /// A running server: its URL, its stop, and its open connections.
    struct Running: Sendable {
        let url: String
        let stop: ServeStop
        let server: ServeServer
    }

    /// Runs `body` against a live server, then stops it and returns how it ended.
    @discardableResult
    static func run(_ configuration: ServeConfiguration, _ body: @Sendable (String) async throws -> Void) async throws -> ServeStop.Outcome {
        try await serve(configuration) { running in try await body(running.url) }
    }

    /// `run`, with the running server's stop and connections given to `body`. The stop must end
    /// within `stopLimit` seconds of its request, or the test fails (the server is left running).
    @discardableResult
    static func serve(_ configuration: ServeConfiguration, stopLimit: Double = 120,
                      _ body: @Sendable (Running) async throws -> Void) async throws -> ServeStop.Outcome {
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error
        let started = StartedURL()
        let server = try ServeApplication.build(configuration, logger: logger) { url in await started.set(url) }
        let stop = ServeStop()
        let task = Task { try await ServeApplication.run(server, stoppingOn: [], stop: stop, logger: logger) }
        // A server that has not bound its socket within 60 s has failed.
        var url: String?
        for _ in 0..<3_000 where url == nil {
            url = await started.url
            if url == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        var failure: (any Error)?
        do {
            guard let url else { throw FixtureError("the server did not start within 60 s") }
            try await body(Running(url: url, stop: stop, server: server))
        } catch {
            failure = error
        }
        stop.stop()
        let outcome = try await ended(task, within: stopLimit)
        if let failure { throw failure }
        return outcome
    }

    /// The task's result, or a failure when it has not ended within `seconds` (the task is left).
    private static func ended(_ task: Task<ServeStop.Outcome, any Error>, within seconds: Double) async throws -> ServeStop.Outcome {
        let first = FirstResult()
        let result = await withCheckedContinuation { continuation in
            first.set(continuation)
            Task { first.resume(await task.result) }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                first.resume(nil)
            }
        }
        guard let result else { throw FixtureError("the server did not stop within \(Int(seconds)) s of its stop") }
        return try result.get()
    }

    /// Runs `script` with python3 (on a thread of its own, not the tasks' threads), with a time
    /// limit, and parses the JSON it prints.
    static func python(_ script: String, _ arguments: [String], timeout: Double = 300) async throws -> JSONValue {
        try await offThePool {
            let run = try ProgramRun.run("python3", ["-c", script] + arguments, timeout: timeout)
            guard run.status == 0 else { throw FixtureError("python3 exited \(run.status): \(run.standardErrorText)") }
            return try JSONValue(parsing: run.standardOutputText)
        }
    }
}

private actor StartedURL {
    var url: String?
    func set(_ value: String) { url = value }
}

/// A continuation resumed by the first of two callers.
private final class FirstResult: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<ServeStop.Outcome, any Error>?, Never>?

    func set(_ continuation: CheckedContinuation<Result<ServeStop.Outcome, any Error>?, Never>) {
        lock.withLock { self.continuation = continuation }
    }

    func resume(_ result: Result<ServeStop.Outcome, any Error>?) {
        let waiting = lock.withLock { () -> CheckedContinuation<Result<ServeStop.Outcome, any Error>?, Never>? in
            defer { continuation = nil }
            return continuation
        }
        waiting?.resume(returning: result)
    }
}
