import Foundation
import HTTPTypes
import Hummingbird

/// What the routes read from a request besides the path: its query parameters (each once, at
/// most `maxParameters`, percent-decoded) and the base URL its links start from.
///
/// ```swift
/// try RequestText.parameters(of: request)    // ["limit": "10", "bbox": "44,25,63,40"]
/// RequestText.base(of: request, fallback: "http://127.0.0.1:8080")   // "http://localhost:8080"
/// ```
enum RequestText {
    static let maxParameters = 32

    /// The query parameters.
    /// - Throws: `ServeError` 400 for a parameter given twice, too many of them, or an escape
    ///   that does not decode to UTF-8.
    static func parameters(of request: Request) throws -> [String: String] {
        guard let query = request.uri.query, !query.isEmpty else { return [:] }
        var out: [String: String] = [:]
        let pieces = query.split(separator: "&", omittingEmptySubsequences: true)
        guard pieces.count <= maxParameters else {
            throw ServeError.badRequest("InvalidParameterValue", "more than \(maxParameters) query parameters")
        }
        for piece in pieces {
            let pair = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(pair[0]), let value = decode(pair.count > 1 ? pair[1] : "") else {
                throw ServeError.badRequest("InvalidParameterValue", "a query parameter is not valid percent-encoded UTF-8")
            }
            guard out[name] == nil else {
                throw ServeError.badRequest("InvalidParameterValue", "the query parameter '\(ItemsQuery.clipped(name))' is given twice")
            }
            out[name] = value
        }
        return out
    }

    private static func decode(_ text: Substring) -> String? {
        String(text).replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    /// A query value percent-encoded for a link.
    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~,:")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// `http://` and the request's `Host` when it is a plain host name or address with an
    /// optional port, else `fallback`: links follow the name the client used, and a forged
    /// `Host` cannot put anything but a host into them.
    static func base(of request: Request, fallback: String) -> String {
        // HTTP/1 servers put `Host` into the authority; a request made without a socket may carry it as a field.
        guard let host = request.head.authority ?? hostField.flatMap({ request.headers[$0] }), !host.isEmpty, host.utf8.count <= 255,
              host.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII || ".-:[]".unicodeScalars.contains($0) })
        else { return fallback }
        return "http://" + host
    }

    static let hostField = HTTPField.Name("Host")

    /// Whether the client asked for JSON (`f=json`, or an `Accept` naming JSON, as GDAL sends)
    /// rather than HTML (`f=html`, or a browser's `Accept: text/html`).
    static func wantsHTML(_ request: Request, _ parameters: [String: String]) throws -> Bool {
        switch parameters["f"] {
        case "json"?: return false
        case "html"?: return true
        case nil: break
        case let f?: throw ServeError.badRequest("InvalidParameterValue", "f must be json or html, not '\(ItemsQuery.clipped(f))'")
        }
        let accept = request.headers[.accept] ?? ""
        return !accept.contains("json") && accept.contains("text/html")
    }
}
