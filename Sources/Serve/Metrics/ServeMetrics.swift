import CoreMetrics
import Foundation
import Prometheus
import Synchronization

/// The server's operations metrics, in one Prometheus registry of its own: requests by route
/// pattern and status, their latency, the tile cache's hits and misses, and the store's change
/// mark. `/metrics` (see `MetricsRoutes`) writes them in Prometheus text format.
///
/// ```swift
/// let metrics = ServeMetrics()
/// let router = ServeApplication.buildRouter(catalogue: catalogue, resolver: resolver, metrics: metrics)
/// metrics.tileCache(hit: true)      // graveatlas_tile_cache_hits_total 1
/// metrics.text()                    // "# TYPE graveatlas_http_requests_total counter\n…"
/// ```
/// Every metric is made through a `PrometheusMetricsFactory` over this instance's registry
/// (swift-metrics' `factory:` initialisers), never through the global `MetricsSystem`: each
/// application (and each test's router) counts on its own, and nothing is bootstrapped.
///
/// Labels hold only what the server chose: a route's pattern as it was registered
/// (`/collections/{collectionId}/items/{featureId}`, `unmatched` for any path no route answers)
/// and a status code. Never a raw path, an id, a query string, a method or a token: each of
/// those is the client's to choose, and would let a client fill the registry with labels.
///
/// Routes that use a tile cache get this instance from `ServeApplication.buildRouter`
/// (`TileRoutes(…, metrics: metrics)`) and call `tileCache(hit:)` once per tile asked for.
public final class ServeMetrics: Sendable {
    /// The label of requests no route answers.
    public static let unmatched = "unmatched"
    static let requests = "graveatlas_http_requests_total"
    static let latency = "graveatlas_http_request_duration_seconds"
    static let tileHits = "graveatlas_tile_cache_hits_total"
    static let tileMisses = "graveatlas_tile_cache_misses_total"
    static let changeMark = "graveatlas_store_change_mark"

    /// The registry the metrics live in: `text()` writes it.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let hits: CoreMetrics.Counter
    private let misses: CoreMetrics.Counter
    private let mark: CoreMetrics.Gauge
    /// Each route's counters by status and its timer, made on first use: making them again for
    /// every request (a registry lookup under its lock, label arrays) cost more than counting.
    private let byRoute = Mutex<[String: RouteMetrics]>([:])

    private struct RouteMetrics: @unchecked Sendable {   // CoreMetrics' handles are thread-safe classes
        var timer: CoreMetrics.Timer
        var counters: [Int: CoreMetrics.Counter] = [:]
    }

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // From 1 ms (a page from a warm index) to 30 s (the first read after a large import).
        factory.durationHistogramBuckets[Self.latency] = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        // Made now, so that they are in the text at 0 before the first tile or scrape.
        hits = CoreMetrics.Counter(label: Self.tileHits, factory: factory)
        misses = CoreMetrics.Counter(label: Self.tileMisses, factory: factory)
        mark = CoreMetrics.Gauge(label: Self.changeMark, factory: factory)
    }

    /// Counts one tile asked of the tile cache: found in it (`hit`) or made afresh.
    public func tileCache(hit: Bool) {
        (hit ? hits : misses).increment()
    }

    /// Counts one answered request of `route` (a pattern, or `ServeMetrics.unmatched`) with
    /// `status`, and its time from the first middleware to the response.
    public func request(route: String, status: Int, nanoseconds: Int64) {
        let factory = self.factory
        let (counter, timer) = byRoute.withLock { routes in
            var entry = routes[route]
                ?? RouteMetrics(timer: CoreMetrics.Timer(label: Self.latency, dimensions: [("route", route)], factory: factory))
            let counter = entry.counters[status]
                ?? CoreMetrics.Counter(label: Self.requests, dimensions: [("route", route), ("status", String(status))], factory: factory)
            if entry.counters[status] == nil {
                entry.counters[status] = counter
                routes[route] = entry
            } else if routes[route] == nil {
                routes[route] = entry
            }
            return (counter, entry.timer)
        }
        counter.increment()
        timer.recordNanoseconds(nanoseconds)
    }

    /// Sets the store's change mark (the number of its last audit entry): it moves with each
    /// import or edit.
    public func storeChanged(mark value: Int64) {
        mark.record(value)
    }

    /// The registry in Prometheus text format (version 0.0.4).
    public func text() -> String {
        registry.emitToString()
    }
}
