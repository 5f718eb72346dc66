import Foundation
import Geometry
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Serve
import Store

/// One answer of the router, read whole.
struct Answer: Sendable {
    var status: Int
    var headers: HTTPFields
    var text: String
    /// The body as bytes (a tile's, which is not text).
    var bytes: [UInt8] = []

    var json: JSONValue? { try? JSONValue(parsing: text) }
    var contentType: String { headers[.contentType] ?? "" }
}

/// Sends requests to the server's router without a socket (HummingbirdTesting's `.router`),
/// over a real store.
///
/// ```swift
/// try await RouterHarness.run(store: fixture.storePath) { get in
///     let a = try await get("/collections", [:])
/// }
/// ```
enum RouterHarness {
    typealias Get = @Sendable (_ uri: String, _ headers: HTTPFields) async throws -> Answer

    /// The base of links: HummingbirdTesting's requests carry the authority `localhost`.
    static let base = "http://localhost"

    static func run(store path: String, tokens: String? = nil, throttle: FailureThrottle = FailureThrottle(),
                    metrics: ServeMetrics = ServeMetrics(), _ body: @Sendable (Get) async throws -> Void) async throws {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        try await run(catalogue: StoreCatalogue(store: store), tokens: tokens, throttle: throttle, metrics: metrics, body)
    }

    /// The same over any catalogue (one that fails, say).
    static func run(catalogue: any SiteCatalogue, tokens: String? = nil, throttle: FailureThrottle = FailureThrottle(),
                    metrics: ServeMetrics = ServeMetrics(), _ body: @Sendable (Get) async throws -> Void) async throws {
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error   // the access log's lines, one a request, would drown the test output
        let router = ServeApplication.buildRouter(catalogue: catalogue,
                                                  resolver: AudienceResolver(tokenFile: tokens, logger: logger), throttle: throttle,
                                                  address: ServerAddress(base), metrics: metrics, logger: logger)
        let app = Application(router: router)
        try await app.test(.router) { client in
            try await body { uri, headers in
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body),
                           bytes: Array(buffer: response.body))
                }
            }
        }
    }

    typealias Post = @Sendable (_ uri: String, _ headers: HTTPFields, _ body: [UInt8]) async throws -> Answer

    /// Sends POST requests with a body (and GETs) to the router over the store (with `tokens`, a token file).
    static func run(store path: String, tokens: String? = nil, posting body: @Sendable (Post, Get) async throws -> Void) async throws {
        let store = try SiteStore(path: path, access: .readOnly)
        defer { try? store.close() }
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error
        let router = ServeApplication.buildRouter(catalogue: StoreCatalogue(store: store),
                                                  resolver: AudienceResolver(tokenFile: tokens, logger: logger),
                                                  address: ServerAddress(base), logger: logger)
        try await Application(router: router).test(.router) { client in
            try await body({ uri, headers, bytes in
                try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(bytes: bytes)) { response in
                    Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body),
                           bytes: Array(buffer: response.body))
                }
            }, { uri, headers in
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body),
                           bytes: Array(buffer: response.body))
                }
            })
        }
    }

    /// The path and query of an absolute link (`http://host:port/p?q` → `/p?q`).
    static func path(of href: String) -> String {
        let rest = href.drop { $0 != "/" }.dropFirst(2)   // after "http://"
        return String(rest.drop { $0 != "/" })
    }

    /// Every feature of `/collections/sites/items` with `query`, following `next` links, and
    /// the pages' `numberMatched` and cursors.
    static func pages(_ get: Get, query: String, headers: HTTPFields = [:]) async throws
        -> (features: [JSONValue], matched: [Int], cursors: [String], pages: Int)
    {
        var uri: String? = "/collections/sites/items" + (query.isEmpty ? "" : "?" + query)
        var features: [JSONValue] = [], matched: [Int] = [], cursors: [String] = []
        var pages = 0
        while let next = uri, pages < 1_000 {
            let answer = try await get(next, headers)
            guard answer.status == 200, let json = answer.json else {
                throw FixtureError("\(next): \(answer.status) \(answer.text.prefix(300))")
            }
            pages += 1
            features += json["features"]?.arrayValue ?? []
            matched.append(json["numberMatched"]?.intValue ?? -1)
            uri = nil
            for link in json["links"]?.arrayValue ?? [] where link["rel"]?.stringValue == "next" {
                let href = link["href"]?.stringValue ?? ""
                uri = path(of: href)
                if let range = href.range(of: "cursor=") {
                    cursors.append(String(href[range.upperBound...].prefix { $0 != "&" }))
                }
            }
        }
        return (features, matched, cursors, pages)
    }
}
