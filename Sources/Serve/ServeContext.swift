import Hummingbird
import Logging
import NIOCore
import Store

/// What the server knows of one request besides the request itself: who asked (the audience
/// and the token's label, set by `AudienceMiddleware`) and from where.
///
/// ```swift
/// router.get("/") { request, context in context.audience }   // .public without a token
/// ```
public struct ServeContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public var audience: Audience = .public
    /// The token's label (nil at public): for the access log, never the token.
    public var label: String?
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The client's address as the failure throttle and the log name it (its IP, no port).
    public var client: String { remoteAddress?.ipAddress ?? "unknown" }
}
