import Foundation

/// Runs `body`, which blocks (a program run, a wait on a semaphore), on a thread of its own and
/// resumes the calling task with its result.
///
/// ```swift
/// let run = try await offThePool { try ProgramRun.run("python3", [script]) }
/// ```
/// Swift's shared task threads are as many as the cores (two on a small machine): a test that
/// waited on one for a browser or a database would hold it from every other test's tasks, and
/// from the live servers some of them run.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
