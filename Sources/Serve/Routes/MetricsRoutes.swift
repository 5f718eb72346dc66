import Hummingbird
import NIOCore

/// `/metrics`: the server's operations metrics (`ServeMetrics`) in Prometheus text format, for
/// the `internal` audience only.
///
/// ```swift
/// MetricsRoutes(catalogue: catalogue, metrics: metrics).add(to: router)
/// // GET /metrics  Authorization: Bearer <internal token>  → 200 text/plain; version=0.0.4
/// // GET /metrics  (no token, or a public or partner one)   → 403 {"code":"Forbidden",…}
/// ```
/// Why internal only: the store's change mark says when imports and edits happen, and the
/// requests by route say what is being asked and how often. An observer of those learns when
/// investigators add sites, which can matter to the people the sites protect. So `/metrics`
/// is not in the landing page's links, and a scraper is given an internal token (see
/// `graveatlas token add --audience internal`). The change mark is read at each scrape; when
/// the store cannot be read it keeps its last value and the log says why (the request counts
/// are then the more useful part of the answer).
struct MetricsRoutes: Sendable {
    let catalogue: any SiteCatalogue
    let metrics: ServeMetrics

    func add(to router: Router<ServeContext>) {
        router.get("/metrics", use: scrape)
    }

    @Sendable func scrape(_ request: Request, context: ServeContext) async throws -> Response {
        guard context.audience == .internal else {
            throw ServeError(.forbidden, code: "Forbidden", "/metrics is for the internal audience: send an internal token")
        }
        if let name = try RequestText.parameters(of: request).keys.sorted().first {
            throw ServeError.badRequest("InvalidParameterValue",
                                        "unknown query parameter '\(ItemsQuery.clipped(name))'; /metrics takes none")
        }
        do {
            let mark = try await FeaturesRoutes.offloaded { try catalogue.changeMark() }
            metrics.storeChanged(mark: mark)
        } catch {
            context.logger.error("metrics: the store's change mark cannot be read", metadata: ["error": "\(error)"])
        }
        return Response(status: .ok,
                        headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: metrics.text())))
    }
}
