import HTTPTypes
import Hummingbird
import Logging

/// Turns every error a request meets into an OGC exception response (`{"code","description"}`,
/// JSON): `ServeError` as it says, Hummingbird's own errors (404 for an unknown route) with
/// their status, and anything else as 500 with a generic description (the detail goes to the
/// log, not to the client).
///
/// ```swift
/// router.add(middleware: OGCErrorMiddleware())   // GET /nowhere → 404 {"code":"NotFound",…}
/// ```
struct OGCErrorMiddleware: RouterMiddleware {
    typealias Context = ServeContext

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ServeError {
            return try error.response(from: request, context: context)
        } catch let error as any HTTPResponseError {
            let status = error.status
            let serveError: ServeError = switch status.code {
            case 404: .notFound("no such resource: \(ItemsQuery.clipped(request.uri.path))")
            case 405: ServeError(status, code: "MethodNotAllowed", "this resource does not answer \(request.method.rawValue)")
            default: ServeError(status, code: "HTTP\(status.code)", status.reasonPhrase)
            }
            return try serveError.response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["error": "\(error)"])
            return try ServeError(.internalServerError, code: "ServerError", "the server could not answer; see its log")
                .response(from: request, context: context)
        }
    }
}
