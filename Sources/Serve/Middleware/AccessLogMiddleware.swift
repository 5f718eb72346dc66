import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request: method, path, status, audience, the token's label, client and
/// time taken. Never the token, nor the query string's values beyond the path.
///
/// ```swift
/// router.add(middleware: AccessLogMiddleware(logger: logger))
/// // info: GET /collections/sites/items 200 [audience=partner client=127.0.0.1 label=hrw ms=3.1]
/// ```
/// It runs outermost, so every request is logged with the status the client got.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let logger: Logger

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let start = DispatchTime.now().uptimeNanoseconds
        var audience = "public", label: String?
        let response: Response
        do {
            // The audience is set further in; the response carries it back out.
            response = try await next(request, context)
        } catch {
            logger.info("\(request.method) \(ItemsQuery.clipped(request.uri.path)) failed",
                        metadata: ["client": "\(context.client)", "error": "\(type(of: error))"])
            throw error
        }
        if let a = response.headers[AudienceHeader.audience] { audience = a }
        if let l = response.headers[AudienceHeader.label] { label = l }
        // Tenths of a millisecond, rounded, written without Foundation's formatter (every request pays it).
        let tenths = (DispatchTime.now().uptimeNanoseconds - start + 50_000) / 100_000
        var metadata: Logger.Metadata = ["audience": "\(audience)", "client": "\(context.client)",
                                         "ms": "\(tenths / 10).\(tenths % 10)"]
        if let label { metadata["label"] = "\(label)" }
        logger.info("\(request.method) \(ItemsQuery.clipped(request.uri.path)) \(response.status.code)", metadata: metadata)
        var out = response
        out.headers[AudienceHeader.label] = nil
        return out
    }
}

/// Headers that carry the request's audience out to the access log. `X-GraveAtlas-Audience`
/// also reaches the client (it may know which audience answered); the label is removed before
/// the response leaves.
enum AudienceHeader {
    static let audience = HTTPField.Name("X-GraveAtlas-Audience")!   // a valid field name, constant
    static let label = HTTPField.Name("X-GraveAtlas-Label")!         // a valid field name, constant
}
