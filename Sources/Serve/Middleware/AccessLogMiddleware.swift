import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// One log line per request: method, path, status, audience, the token's label, client and
/// time taken. Never the token, nor the query string's values beyond the path.
///
/// ```swift
/// router.add(middleware: AccessLogMiddleware(log: AccessLog(logger: logger)))
/// // … info graveatlas.serve: audience=partner client=127.0.0.1 label=hrw ms=3.1 [Serve] GET /collections/sites/items 200
/// ```
/// It runs outermost, so every request is logged with the status the client got. Lines are
/// formatted by hand into `AccessLog`'s buffer (every request pays for it), in the format of
/// swift-log's stream handler.
struct AccessLogMiddleware: RouterMiddleware {
    typealias Context = ServeContext
    let log: AccessLog

    func handle(_ request: Request, context: ServeContext, next: (Request, ServeContext) async throws -> Response) async throws -> Response {
        guard log.isEnabled else {
            var out = try await next(request, context)
            if out.headers[AudienceHeader.label] != nil { out.headers[AudienceHeader.label] = nil }
            return out
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let response: Response
        do {
            // The audience is set further in; the response carries it back out.
            response = try await next(request, context)
        } catch {
            let client = context.client, kind = "\(type(of: error))"
            log.record { line in
                line.append(contentsOf: " client=".utf8)
                line.append(contentsOf: client.utf8)
                line.append(contentsOf: " error=".utf8)
                line.append(contentsOf: kind.utf8)
                Self.message(request, &line)
                line.append(contentsOf: " failed".utf8)
            }
            throw error
        }
        let audience = response.headers[AudienceHeader.audience] ?? "public"
        let label = response.headers[AudienceHeader.label]
        // Tenths of a millisecond, rounded, written without Foundation's formatter (every request pays it).
        let tenths = (DispatchTime.now().uptimeNanoseconds - start + 50_000) / 100_000
        let client = context.client, status = response.status.code
        // Metadata sorted by key (audience, client, label, ms), as swift-log's stream handler writes it.
        log.record { line in
            line.append(contentsOf: " audience=".utf8)
            line.append(contentsOf: audience.utf8)
            line.append(contentsOf: " client=".utf8)
            line.append(contentsOf: client.utf8)
            if let label {
                line.append(contentsOf: " label=".utf8)
                line.append(contentsOf: label.utf8)
            }
            line.append(contentsOf: " ms=".utf8)
            Self.decimal(tenths / 10, &line)
            line.append(UInt8(ascii: "."))
            Self.decimal(tenths % 10, &line)
            Self.message(request, &line)
            line.append(UInt8(ascii: " "))
            Self.decimal(status, &line)
        }
        guard label != nil else { return response }
        var out = response
        out.headers[AudienceHeader.label] = nil
        return out
    }

    /// ` [Serve] METHOD /path`: the source, as swift-log names it, and the path, clipped to 80 characters.
    static func message(_ request: Request, _ line: inout [UInt8]) {
        line.append(contentsOf: " [Serve] ".utf8)
        line.append(contentsOf: request.method.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        let path = request.uri.path
        if path.utf8.count <= 80 { line.append(contentsOf: path.utf8) } else { line.append(contentsOf: ItemsQuery.clipped(path).utf8) }
    }

    /// `value` in decimal digits.
    static func decimal<T: BinaryInteger>(_ value: T, _ line: inout [UInt8]) {
        var v = UInt64(clamping: value)
        let first = line.count
        repeat {
            line.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        line[first...].reverse()
    }
}

/// Headers that carry the request's audience out to the access log. `X-GraveAtlas-Audience`
/// also reaches the client (it may know which audience answered); the label is removed before
/// the response leaves.
enum AudienceHeader {
    static let audience = HTTPField.Name("X-GraveAtlas-Audience")!   // a valid field name, constant
    static let label = HTTPField.Name("X-GraveAtlas-Label")!         // a valid field name, constant
}
