import Synchronization

/// Stops a running server (`ServeApplication.run`) gracefully, from any thread or task, as a
/// signal does: the listening socket closes, idle connections close, and the requests in
/// flight have the server's grace period to be answered; past it they are cut.
///
/// ```swift
/// let stop = ServeStop()
/// let running = Task { try await ServeApplication.run(server, stoppingOn: [], stop: stop, logger: logger) }
/// stop.stop()
/// let outcome = try await running.value      // .finished, or .cut(requests: 2)
/// ```
/// `stop()` may come before the server runs (it then stops as soon as it has started), and
/// more than once (the first counts).
public final class ServeStop: Sendable {
    /// How a stopped server ended.
    public enum Outcome: Sendable, Equatable {
        /// Every request in flight was answered within the grace period (or none was left
        /// unanswered when it ran out).
        case finished
        /// The grace period ran out: `requests` requests were still unanswered, and their
        /// connections were closed.
        case cut(requests: Int)
    }

    private struct State {
        var requested = false
        var action: (@Sendable () -> Void)?
    }

    private let state = Mutex(State())

    public init() {}

    /// Asks the server to stop gracefully.
    public func stop() {
        let action = state.withLock { state -> (@Sendable () -> Void)? in
            guard !state.requested else { return nil }
            state.requested = true
            return state.action
        }
        action?()
    }

    /// Whether `stop()` has been called.
    public var isRequested: Bool { state.withLock { $0.requested } }

    /// Sets what `stop()` does; runs it at once when the stop was asked for already.
    func onStop(_ action: @escaping @Sendable () -> Void) {
        let now = state.withLock { state -> Bool in
            state.action = action
            return state.requested
        }
        if now { action() }
    }
}
