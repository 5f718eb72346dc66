import HTTPTypes
import Hummingbird

/// Sets the request's audience from its bearer token (`AudienceResolver`): none is public, an
/// unknown or revoked one is 401 (503 while given tokens cannot be read); an address refused too often lately gets 429
/// (`FailureThrottle`) before its token is even looked at. The response carries the audience
/// (and, for the access log only, the token's label) in `AudienceHeader` fields.
///
/// ```swift
/// router.add(middleware: AudienceMiddleware(resolver: resolver, throttle: FailureThrottle()))
/// ```
/// It runs outside `OGCErrorMiddleware` (whose responses it labels), so it answers its own
/// refusals in the same OGC exception format.
struct AudienceMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let resolver: AudienceResolver
    let throttle: FailureThrottle

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        let authorization = request.headers[.authorization]
        var context = context
        if authorization != nil {
            do {
                try throttle.check(context.client)
                do {
                    let resolution = try resolver.resolve(authorization: authorization)
                    context.audience = resolution.audience
                    context.label = resolution.label
                } catch {
                    // A token refused counts against the address; tokens that cannot be read now do not.
                    if (error as? ServeError)?.status == .unauthorized { throttle.noteFailure(context.client) }
                    throw error
                }
            } catch let error as ServeError {
                return try error.response(from: request, context: context)
            }
        }
        var response = try await next(request, context)
        response.headers[AudienceHeader.audience] = context.audience.rawValue
        if let label = context.label { response.headers[AudienceHeader.label] = label }
        return response
    }
}
