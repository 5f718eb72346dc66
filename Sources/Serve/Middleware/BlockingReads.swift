import Hummingbird
import NIOPosix
import ServiceLifecycle

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
final class BlockingReads: Service, Sendable {
    @TaskLocal static var pool: NIOThreadPool?

    let threads: NIOThreadPool

    init(threads count: Int) {
        threads = NIOThreadPool(numberOfThreads: max(1, count))
        threads.start()
    }

    /// Runs `body` on the pool of the request being answered.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await (pool ?? NIOThreadPool.singleton).runIfActive(body)
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
        try await threads.shutdownGracefully()
    }
}
