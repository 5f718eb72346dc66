import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle

extension ServeApplication {
    /// Runs `app` until one of `signals` arrives, then shuts it down gracefully (requests in
    /// flight finish, the socket closes) and returns.
    ///
    /// ```swift
    /// try await ServeApplication.run(app, stoppingOn: [SIGINT, SIGTERM], logger: logger)
    /// ```
    /// The signals are taken with dispatch sources of its own rather than the service group's,
    /// which would set them to SIG_IGN: a process that already has dispatch sources for them
    /// (the command line's interruption handlers) would then never see them.
    public static func run(_ app: some ApplicationProtocol, stoppingOn signals: [Int32], logger: Logger) async throws {
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger))
        let sources = signals.map { signal -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                Task { await group.triggerGracefulShutdown() }
            }
            source.resume()
            return source
        }
        defer { for source in sources { source.cancel() } }
        try await group.run()
    }
}
