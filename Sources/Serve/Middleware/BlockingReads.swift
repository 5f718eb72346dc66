import Hummingbird
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The threads a server's routes run their blocking store reads on: a pool of the server's
/// own, not NIO's process-wide one, so that a health check or a small query never waits
/// behind another part of the same process that has filled the shared pool (a second server,
/// a long export). The pool starts with the server and shuts down after it (a service of the
/// application, stopped once the server has answered its last request).
///
/// ```swift
/// let reads = BlockingReads(threads: 4)
/// router.add(middleware: reads.middleware)          // requests then run their reads on it
/// let rows = try await BlockingReads.run { try catalogue.health() }
/// ```
/// A read made outside a request (a response body written after its route returned, or a
/// router built without the middleware, as tests build one) runs on NIO's shared pool.
///
/// A request whose task is cancelled (a stop whose grace period ran out) stops waiting for its
/// read at once, with `CancellationError`: a read still queued then never runs, and one already
/// running (a file that never answers, on a hung mount) is left to end on its thread, its result
/// dropped. So is the pool's shutdown when the service is cancelled: queued reads are dropped,
/// and a thread held by such a read is not waited for.
final class BlockingReads: Service, Sendable {
    @TaskLocal static var pool: NIOThreadPool?

    let threads: NIOThreadPool

    init(threads count: Int) {
        threads = NIOThreadPool(numberOfThreads: max(1, count))
        threads.start()
    }

    /// Runs `body` on the pool of the request being answered.
    /// - Throws: `CancellationError` when the task is cancelled before `body` has returned (or
    ///   the pool has shut down before it ran); else what `body` throws.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let pool = pool ?? NIOThreadPool.singleton
        let waiting = Waiting<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard waiting.wait(continuation) else { return }
                pool.submit { state in
                    guard state == .active, waiting.isWaiting else {
                        waiting.resume(with: .failure(CancellationError()))
                        return
                    }
                    waiting.resume(with: Result { try body() })
                }
            }
        } onCancel: {
            waiting.resume(with: .failure(CancellationError()))
        }
    }

    /// The middleware that gives each request this pool.
    var middleware: Middleware { Middleware(threads: threads) }

    struct Middleware: RouterMiddleware {
        typealias Context = ServeContext
        let threads: NIOThreadPool

        func handle(_ request: Request, context: ServeContext,
                    next: (Request, ServeContext) async throws -> Response) async throws -> Response {
            try await BlockingReads.$pool.withValue(threads) { try await next(request, context) }
        }
    }

    func run() async throws {
        try? await gracefulShutdown()
        // Stopped gracefully, the server has answered its last request: the threads are idle and
        // end at once. Cancelled, a thread may still be blocked in an abandoned read.
        let ended = Waiting<Void>()
        try? await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                guard ended.wait(continuation) else { return }
                threads.shutdownGracefully { _ in ended.resume(with: .success(())) }
            }
        } onCancel: {
            ended.resume(with: .success(()))
        }
    }
}

/// A continuation resumed once, by whichever comes first: the work's end or the task's
/// cancellation (which may come before the continuation is even made).
private final class Waiting<T: Sendable>: Sendable {
    private enum State {
        case ready
        case waiting(CheckedContinuation<T, any Error>)
        case resumed
    }

    private let state = Mutex<State>(.ready)

    /// Keeps `continuation` to resume; false (and it resumed with `CancellationError`) when the
    /// task was cancelled first.
    func wait(_ continuation: CheckedContinuation<T, any Error>) -> Bool {
        let kept = state.withLock { state -> Bool in
            guard case .ready = state else { return false }
            state = .waiting(continuation)
            return true
        }
        if !kept { continuation.resume(throwing: CancellationError()) }
        return kept
    }

    /// Whether the continuation is kept and not yet resumed: whether the work is still wanted.
    var isWaiting: Bool {
        state.withLock { if case .waiting = $0 { true } else { false } }
    }

    /// Resumes the continuation with `result` unless it has been resumed already.
    func resume(with result: Result<T, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<T, any Error>? in
            defer { state = .resumed }
            if case .waiting(let continuation) = state { return continuation }
            return nil
        }
        continuation?.resume(with: result)
    }
}
