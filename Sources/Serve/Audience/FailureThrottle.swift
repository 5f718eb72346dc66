import Foundation
import Synchronization

/// Slows a client that keeps presenting bad tokens: after `allowed` refusals from one address
/// within `window` seconds, its requests get 429 until the window has passed.
///
/// ```swift
/// let throttle = FailureThrottle(allowed: 5, window: 60)
/// try throttle.check("10.0.0.7")       // throws 429 once 5 failures are recent
/// throttle.noteFailure("10.0.0.7")
/// ```
/// Memory is bounded: at most `maxClients` addresses are remembered (the oldest forgotten).
public final class FailureThrottle: Sendable {
    public let allowed: Int
    public let window: Double
    public let maxClients: Int
    private let failures = Mutex<[String: [Double]]>([:])
    private let clock: @Sendable () -> Double

    public init(allowed: Int = 5, window: Double = 60, maxClients: Int = 10_000,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.allowed = allowed
        self.window = window
        self.maxClients = maxClients
        self.clock = clock
    }

    /// Refuses a client with too many recent failures.
    /// - Throws: `ServeError` 429 with `Retry-After`.
    public func check(_ client: String) throws {
        let now = clock()
        let retry: Int? = failures.withLock { table in
            let recent = (table[client] ?? []).filter { now - $0 < window }
            table[client] = recent.isEmpty ? nil : recent
            guard recent.count >= allowed, let first = recent.first else { return nil }
            return max(1, Int((window - (now - first)).rounded(.up)))
        }
        if let retry {
            throw ServeError(.tooManyRequests, code: "TooManyRequests",
                             "too many refused tokens from this address; try again in \(retry) s",
                             headers: [.retryAfter: String(retry)])
        }
    }

    /// Counts one refused request from `client`.
    public func noteFailure(_ client: String) {
        let now = clock()
        failures.withLock { table in
            if table[client] == nil, table.count >= maxClients,
               let oldest = table.min(by: { ($0.value.last ?? 0) < ($1.value.last ?? 0) })?.key {
                table[oldest] = nil
            }
            table[client, default: []].append(now)
            if table[client, default: []].count > allowed * 2 { table[client]?.removeFirst() }
        }
    }
}
