import Dispatch
import HTTPTypes
import Hummingbird

/// Counts each request in `ServeMetrics` by the pattern of the route that answered it (never
/// its raw path) and the status the client got, and records its time.
///
/// ```swift
/// router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
/// // GET /collections/sites/items/5b1…?f=json → graveatlas_http_requests_total{route="/collections/{collectionId}/items/{featureId}",status="200"}
/// ```
/// It runs outermost, so the status is the one the client got, refusals of the audience and
/// bounds middleware included. The time is taken when the response leaves the middleware
/// (before its body is written), so a request is counted before its client reads the answer.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let metrics: ServeMetrics

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        func count(_ status: Int) {
            let elapsed = DispatchTime.now().uptimeNanoseconds - start
            metrics.request(route: Self.route(context), status: status, nanoseconds: Int64(clamping: elapsed))
        }
        do {
            let response = try await next(request, context)
            count(Int(response.status.code))
            return response
        } catch let error as any HTTPResponseError {
            count(Int(error.status.code))
            throw error
        } catch {
            count(500)
            throw error
        }
    }

    /// The route's pattern as the router registered it; `unmatched` when no route answered
    /// (Hummingbird's not-found responder names its requests `NotFound`).
    static func route(_ context: ServeContext) -> String {
        guard let path = context.endpointPath, path != "NotFound", path.hasPrefix("/") else { return ServeMetrics.unmatched }
        return path
    }
}
