import Foundation
import Geometry
import HTTPTypes
import Hummingbird

/// What a request did wrong (or what went wrong answering it), as the HTTP status and the OGC
/// exception body `{"code","description"}` the client gets: the one place errors become HTTP.
///
/// ```swift
/// throw ServeError.badRequest("InvalidParameterValue", "bbox: 4 numbers minlon,minlat,maxlon,maxlat, not 'x'")
/// // 400 {"code":"InvalidParameterValue","description":"bbox: 4 numbers …"}
/// ```
/// Descriptions name the parameter and the reason; they never echo a token, and they say the
/// same for an unknown site and for a site the audience may not see.
public struct ServeError: Error, HTTPResponseError, Sendable, Equatable {
    public var status: HTTPResponse.Status
    /// The OGC exception code (`InvalidParameterValue`, `NotFound`, …).
    public var code: String
    public var description: String
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, _ description: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.description = description
        self.headers = headers
    }

    /// 400: a parameter the request got wrong.
    public static func badRequest(_ code: String, _ description: String) -> ServeError {
        ServeError(.badRequest, code: code, description)
    }

    /// 404, worded the same whatever the reason.
    public static func notFound(_ description: String) -> ServeError {
        ServeError(.notFound, code: "NotFound", description)
    }

    /// 401 with the `WWW-Authenticate` challenge.
    public static func unauthorized(_ description: String) -> ServeError {
        ServeError(.unauthorized, code: "Unauthorized", description,
                   headers: [.wwwAuthenticate: #"Bearer realm="graveatlas", error="invalid_token""#])
    }

    /// 503 with `Retry-After`: the server cannot answer this now (its tokens cannot be read).
    public static func unavailable(_ description: String) -> ServeError {
        ServeError(.serviceUnavailable, code: "ServiceUnavailable", description, headers: [.retryAfter: "2"])
    }

    /// The OGC exception body.
    public var body: [UInt8] {
        let value: JSONValue = ["code": .string(code), "description": .string(description)]
        return Array((value.encoded() + "\n").utf8)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
