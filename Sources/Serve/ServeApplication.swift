import Foundation
import Hummingbird
import Logging
import NIOCore
import Store

/// What `graveatlas serve` runs: the store, where to listen, the token file, and how long a
/// client may take to send a request head (`headTimeout`) or body (`bodyTimeout`), or stay
/// idle between keep-alive requests (`idleTimeout`), before its connection is closed (see
/// `RequestHeadDeadline`), and how long a stop waits for the requests in flight (`shutdownGrace`).
///
/// ```swift
/// let configuration = ServeConfiguration(store: "atlas.gpkg", host: "127.0.0.1", port: 0, tokenFile: nil)
/// let server = try ServeApplication.build(configuration) { url in logger.info("serving at \(url)") }
/// try await ServeApplication.run(server, stoppingOn: [SIGINT, SIGTERM], logger: logger)
/// ```
public struct ServeConfiguration: Sendable {
    public var store: String
    public var host: String
    public var port: Int
    public var tokenFile: String?
    /// Tokens handed over by the caller (a database's, `AudienceResolver.given`), in place of
    /// `tokenFile`'s.
    public var resolver: AudienceResolver?
    /// The tile cache's bound, in MiB.
    public var cacheMB: Int
    /// From a connection's opening, or a request's first byte, to the end of its head.
    public var headTimeout: Duration
    /// From the end of a response to the first byte of the next request on the connection.
    public var idleTimeout: Duration
    /// From the end of a request's head to the last byte of its body.
    public var bodyTimeout: Duration
    /// The web map served at `/` to browsers; nil for the small HTML landing page.
    public var webMap: WebMap?
    /// Why there is no web map (a folder without MapLibre), which the landing page tells a browser.
    public var webProblem: String?
    /// From a stop to the cut of the requests still unanswered (see `ServeApplication.run`).
    public var shutdownGrace: Duration = .seconds(10)
    /// The threads for blocking store reads (`BlockingReads`): as many as the cores, two at least.
    public var readThreads = max(2, System.coreCount)
    /// The threads the server's tasks run on (`ServeThreads`): as many as the cores, two at least.
    public var taskThreads = max(2, System.coreCount)
    /// Each read connection's SQLite page cache, in KiB. The store's default (64 MiB) fills on
    /// a large store as tiles are cut from all over it, so the server's memory grew with the
    /// store; the pages stay in the system's file cache either way.
    public var storeCacheKiB = 8_192

    public init(store: String, host: String = "127.0.0.1", port: Int = 8080, tokenFile: String? = nil, cacheMB: Int = 256,
                headTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(30), bodyTimeout: Duration = .seconds(30),
                webMap: WebMap? = nil) {
        self.store = store
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.cacheMB = cacheMB
        self.headTimeout = headTimeout
        self.idleTimeout = idleTimeout
        self.bodyTimeout = bodyTimeout
        self.webMap = webMap
    }
}

/// Builds the router and the application: `buildRouter` for tests (no socket), `build` for the
/// command.
public enum ServeApplication {
    /// The router over `catalogue`, with its middleware: request metrics, the access log, the
    /// audience, OGC exceptions, request bounds, in that order from the outside in. Routes get
    /// `metrics` when they count something of their own (the tile cache's hits and misses).
    /// With `webMap`, a browser gets the web map at `/` and its files under `/web/…`.
    public static func buildRouter(catalogue: any SiteCatalogue, resolver: AudienceResolver,
                                   throttle: FailureThrottle = FailureThrottle(),
                                   address: ServerAddress = ServerAddress("http://127.0.0.1:8080"),
                                   metrics: ServeMetrics = ServeMetrics(), webMap: WebMap? = nil, webProblem: String? = nil,
                                   logger: Logger = Logger(label: "graveatlas.serve")) -> Router<ServeContext> {
        buildRouter(catalogue: catalogue, resolver: resolver, throttle: throttle, address: address, metrics: metrics,
                    webMap: webMap, webProblem: webProblem, accessLog: AccessLog(logger: logger))
    }

    /// `buildRouter` writing its access log to `accessLog`, which the application runs as a
    /// service (so that its last lines are written when the server stops).
    static func buildRouter(catalogue: any SiteCatalogue, resolver: AudienceResolver, throttle: FailureThrottle,
                            address: ServerAddress, metrics: ServeMetrics, webMap: WebMap?, webProblem: String?,
                            accessLog: AccessLog, reads: BlockingReads? = nil) -> Router<ServeContext> {
        let router = Router(context: ServeContext.self, options: .autoGenerateHeadEndpoints)
        // Middleware first: routes added after it are wrapped in it (as is the 404 responder).
        if let reads { router.add(middleware: reads.middleware) }
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: AccessLogMiddleware(log: accessLog))
        router.add(middleware: AudienceMiddleware(resolver: resolver, throttle: throttle))
        router.add(middleware: OGCErrorMiddleware())
        router.add(middleware: RequestBoundsMiddleware())
        let web = webMap.map(WebRoutes.init)
        FeaturesRoutes(catalogue: catalogue, address: address, web: web, webProblem: webProblem).add(to: router)
        web?.add(to: router)
        QueryRoutes(catalogue: catalogue, address: address).add(to: router)
        if let tiles = catalogue.tiles { TileRoutes(tiles: tiles, address: address, metrics: metrics).add(to: router) }
        MetricsRoutes(catalogue: catalogue, metrics: metrics).add(to: router)
        return router
    }

    /// The application serving the store of `configuration`, opened read-only (an import may
    /// write it meanwhile; each request sees the last commit before it). `onRunning` gets the
    /// URL once the socket is bound (with the port the system chose for port 0). Each
    /// connection's pipeline holds a `RequestHeadDeadline` with the configuration's timeouts, and
    /// is listed in the server's `OpenConnections` (which a stop cuts past its grace period).
    /// - Throws: `StoreError` when the store cannot be opened.
    public static func build(_ configuration: ServeConfiguration, logger: Logger = Logger(label: "graveatlas.serve"),
                             onRunning: @escaping @Sendable (String) async -> Void) throws -> ServeServer {
        let store = try SiteStore(path: configuration.store, access: .readOnly, readCacheKiB: configuration.storeCacheKiB)
        let catalogue = StoreCatalogue(store: store, tileCacheBytes: configuration.cacheMB << 20)
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        let address = ServerAddress("http://\(host):\(configuration.port)")
        let accessLog = AccessLog(logger: logger)
        // The server's own threads for blocking reads.
        let reads = BlockingReads(threads: configuration.readThreads)
        let connections = OpenConnections()
        let router = buildRouter(catalogue: catalogue, resolver: configuration.resolver ?? AudienceResolver(tokenFile: configuration.tokenFile, logger: logger),
                                 throttle: FailureThrottle(), address: address, metrics: ServeMetrics(), webMap: configuration.webMap,
                                 webProblem: configuration.webProblem, accessLog: accessLog, reads: reads)
        let head = TimeAmount(configuration.headTimeout), idle = TimeAmount(configuration.idleTimeout)
        let body = TimeAmount(configuration.bodyTimeout)
        let application = Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: [RequestHeadDeadline(head: head, idle: idle, body: body),
                                                                            connections.handler()])),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "graveatlas"),
            // Stopped after the server (the group stops its services last first): the log's last
            // lines are written then, and the read threads end once no request needs them.
            services: [accessLog, reads],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                address.set("http://\(host):\(port)")
                await onRunning("http://\(host):\(port)/")
            },
            logger: logger)
        return ServeServer(application: application, connections: connections, reads: reads,
                           threads: ServeThreads(count: configuration.taskThreads), grace: configuration.shutdownGrace)
    }
}
