import Synchronization

/// The server's own base URL (`http://127.0.0.1:8080`), known once the socket is bound (with
/// `--port 0` the system picks the port): what links start with when a request's `Host` cannot
/// be used.
///
/// ```swift
/// let address = ServerAddress("http://127.0.0.1:0")
/// address.set("http://127.0.0.1:41877")    // from onServerRunning
/// address.base                             // "http://127.0.0.1:41877"
/// ```
public final class ServerAddress: Sendable {
    private let value: Mutex<String>

    public init(_ base: String) { value = Mutex(base) }

    public var base: String { value.withLock { $0 } }

    public func set(_ base: String) { value.withLock { $0 = base } }
}
