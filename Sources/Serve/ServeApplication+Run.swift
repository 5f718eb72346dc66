import Dispatch
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A server built by `ServeApplication.build`, ready to run: its application, its open
/// connections, its read threads, the threads its tasks run on, and the grace period a stop
/// gives the requests in flight.
public struct ServeServer: Sendable {
    let application: any Service
    let connections: OpenConnections
    let reads: BlockingReads
    let threads: ServeThreads
    /// How long a stop waits for the requests in flight before it cuts them.
    public let grace: Duration
}

extension ServeApplication {
    /// Runs `server` until `stop` is asked for or one of `signals` arrives, then stops it
    /// gracefully: the listening socket closes, idle connections close, the requests in flight
    /// are answered. Those not answered within the server's grace period are cut (their tasks
    /// cancelled, so that reads queued or blocked are abandoned, and their connections closed);
    /// the outcome says how many.
    ///
    /// ```swift
    /// let outcome = try await ServeApplication.run(server, stoppingOn: [SIGINT, SIGTERM], logger: logger)
    /// if case .cut(let requests) = outcome { … }      // the grace period ran out
    /// ```
    /// The server is never cancelled while it accepts connections: the caller's cancellation
    /// asks for a graceful stop too, so the listening socket is closed (and every connection it
    /// accepted handed on) before any request is cancelled. (Cancelling Hummingbird's server
    /// while it accepts drops connections NIO has accepted and not yet handed on, and NIO stops
    /// the process when it drops one: "Deinited NIOAsyncWriter without calling finish()".)
    ///
    /// The server's tasks, and those of its stop, run on its own threads (`ServeThreads`), never
    /// waiting for the process's shared ones.
    ///
    /// The signals are taken with dispatch sources of its own rather than the service group's,
    /// which would set them to SIG_IGN: a process that already has dispatch sources for them
    /// (the command line's interruption handlers) would then never see them.
    /// - Throws: what the server throws before a stop (the address taken, say).
    @discardableResult
    public static func run(_ server: ServeServer, stoppingOn signals: [Int32], stop: ServeStop = ServeStop(),
                           logger: Logger) async throws -> ServeStop.Outcome {
        let group = ServiceGroup(configuration: .init(services: [server.application], gracefulShutdownSignals: [], logger: logger))
        // A task of its own: the caller's cancellation does not reach the server but stops it.
        // It and its child tasks (every connection's and request's) run on the server's threads.
        let threads = server.threads
        threads.start()
        defer { threads.stop() }
        let running = Task(executorPreference: threads) { try await group.run() }
        let record = StopRecord()
        stop.onStop {
            Task(executorPreference: threads) { await group.triggerGracefulShutdown() }
            let timer = Task(executorPreference: threads) {
                try? await Task.sleep(for: server.grace)
                guard !Task.isCancelled else { return }
                let requests = server.connections.unanswered
                logger.warning("the grace period ran out: cutting \(requests) unanswered requests")
                record.cut(requests)
                // Closed first, so that a cut request's client sees its connection end, not a 500
                // written as its cancelled route gives up.
                server.connections.closeAll()
                running.cancel()
            }
            record.timer(timer)
        }
        let sources = signals.map { signal -> any DispatchSourceSignal in
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { stop.stop() }
            source.resume()
            return source
        }
        defer {
            for source in sources { source.cancel() }
            record.endTimer()
        }
        do {
            try await withTaskCancellationHandler {
                try await running.value
            } onCancel: {
                stop.stop()
            }
        } catch {
            // A server cut at the end of its grace period ends with its tasks' cancellation.
            if record.requestsCut == nil { throw error }
        }
        // A cut that found no request unanswered (the server held up by a connection with none)
        // lost no answer.
        if let requests = record.requestsCut, requests > 0 { return .cut(requests: requests) }
        return .finished
    }
}

/// What a stop has done: the timer of its grace period, and how many requests it cut.
private final class StopRecord: Sendable {
    private struct State {
        var timer: Task<Void, Never>?
        var cut: Int?
    }

    private let state = Mutex(State())

    var requestsCut: Int? { state.withLock { $0.cut } }

    func cut(_ requests: Int) { state.withLock { $0.cut = requests } }

    func timer(_ timer: Task<Void, Never>) { state.withLock { $0.timer = timer } }

    func endTimer() { state.withLock { $0.timer?.cancel() } }
}
