import Foundation
import Geometry
import Hummingbird
import NIOCore
import Store

/// The routes beyond OGC API – Features: `/healthz`, and the queries of `graveatlas query`
/// (`/query/near`, `/query/nearest`, `/search`), each answered for the request's audience as
/// the command answers it, as a GeoJSON FeatureCollection.
///
/// ```swift
/// QueryRoutes(catalogue: catalogue, address: address).add(to: router)
/// // GET /query/near?lon=-3.7&lat=40.4&radius=5000   → {"type":"FeatureCollection",…,"features":[…]}
/// // GET /search?q=Khavaran&limit=10
/// // GET /healthz                                       → {"status":"ok"}, or 503 when the store cannot be read
/// // POST /query/within  {"type":"Polygon",…}            → the sites inside or touching it; 413 over 1 MiB
/// // POST /query/overlaps?min_overlap=100  {"type":"Polygon",…} → the sites meeting it, with overlap_m2
/// ```
struct QueryRoutes: Sendable {
    let catalogue: any SiteCatalogue
    let address: ServerAddress

    func add(to router: Router<ServeContext>) {
        router.get("/healthz", use: health)
        router.get("/query/near", use: near)
        router.get("/query/nearest", use: nearest)
        router.get("/search", use: search)
        router.post("/query/within", use: within)
        router.post("/query/overlaps", use: overlaps)
        for path in ["/query/within", "/query/overlaps"] {
            router.get(RouterPath(path)) { _, _ -> Response in
                throw ServeError(.methodNotAllowed, code: "MethodNotAllowed",
                                 "\(path) answers POST, with a GeoJSON Polygon or MultiPolygon as the body",
                                 headers: [.allow: "POST"])
            }
        }
    }

    @Sendable func health(_ request: Request, context: ServeContext) async throws -> Response {
        try FeaturesRoutes.jsonOnly(request)
        do {
            try await FeaturesRoutes.offloaded { try catalogue.health() }
        } catch is CancellationError {
            // Cut by a stop whose grace period ran out: the store was not asked, and the client is gone.
            throw CancellationError()
        } catch {
            context.logger.error("health check: the store cannot be read", metadata: ["error": "\(error)"])
            throw ServeError(.serviceUnavailable, code: "ServiceUnavailable", "the store cannot be read; see the server's log")
        }
        return FeaturesRoutes.json(["status": "ok"])
    }

    @Sendable func near(_ request: Request, context: ServeContext) async throws -> Response {
        let parameters = try RequestText.parameters(of: request)
        let query = try ProximityQuery(near: parameters)
        return try await proximity(query, request, context, parameters)
    }

    @Sendable func nearest(_ request: Request, context: ServeContext) async throws -> Response {
        let parameters = try RequestText.parameters(of: request)
        let query = try ProximityQuery(nearest: parameters)
        return try await proximity(query, request, context, parameters)
    }

    private func proximity(_ query: ProximityQuery, _ request: Request, _ context: ServeContext,
                           _ parameters: [String: String]) async throws -> Response {
        let audience = context.audience
        let answer = try await FeaturesRoutes.offloaded { try catalogue.proximity(query, for: audience) }
        return collection(answer, request, parameters)
    }

    @Sendable func search(_ request: Request, context: ServeContext) async throws -> Response {
        let parameters = try RequestText.parameters(of: request)
        let query = try SearchQuery(parameters)
        let audience = context.audience
        let answer = try await FeaturesRoutes.offloaded { try catalogue.search(query, for: audience) }
        return collection(answer, request, parameters)
    }

    @Sendable func within(_ request: Request, context: ServeContext) async throws -> Response {
        let parameters = try RequestText.parameters(of: request)
        let query = try WithinQuery(parameters, body: try await Self.area(of: request))
        let audience = context.audience
        let answer = try await Self.answering { try await FeaturesRoutes.offloaded { try catalogue.within(query, for: audience) } }
        return collection(answer, request, parameters)
    }

    @Sendable func overlaps(_ request: Request, context: ServeContext) async throws -> Response {
        let parameters = try RequestText.parameters(of: request)
        let query = try OverlapsQuery(parameters, body: try await Self.area(of: request))
        let audience = context.audience
        let answer = try await Self.answering { try await FeaturesRoutes.offloaded { try catalogue.overlaps(query, for: audience) } }
        return collection(answer, request, parameters)
    }

    /// The body of a POST with an area, whole: 413 past `WithinQuery.maxBody`, whether or not
    /// `Content-Length` says so first.
    static func area(of request: Request) async throws -> [UInt8] {
        let tooLarge = ServeError(.contentTooLarge, code: "PayloadTooLarge",
                                  "body: the area must be at most \(WithinQuery.maxBody) bytes (1 MiB) of GeoJSON")
        if let length = request.headers[.contentLength].flatMap(Int.init), length > WithinQuery.maxBody { throw tooLarge }
        do {
            return Array(buffer: try await request.body.collect(upTo: WithinQuery.maxBody))
        } catch is NIOTooManyBytesError {
            throw tooLarge
        }
    }

    /// The answer of a query over a posted area; GEOS refusing the area (a ring crossing
    /// itself, say) is the client's to mend, a 400.
    static func answering(_ body: () async throws -> QueryAnswer) async throws -> QueryAnswer {
        do {
            return try await body()
        } catch let error as GeometryError {
            throw QueryParameters.refuse("body: the area cannot be used: \(ItemsQuery.clipped(error.description))")
        }
    }

    /// The answer as a FeatureCollection: counts, time stamp, a `self` link, then the features.
    private func collection(_ answer: QueryAnswer, _ request: Request, _ parameters: [String: String]) -> Response {
        let base = RequestText.base(of: request, fallback: address.base)
        let query = parameters.sorted { $0.key < $1.key }.map { "\(RequestText.encode($0.key))=\(RequestText.encode($0.value))" }
        let url = base + request.uri.path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        var bytes = Array(#"{"type":"FeatureCollection","#.utf8)
        if let matched = answer.numberMatched { bytes += Array("\"numberMatched\":\(matched),".utf8) }
        bytes += Array("\"numberReturned\":\(answer.features.count),\"timeStamp\":".utf8)
        bytes += JSONValue.string(FeaturesRoutes.timeStamp()).encodedBytes()
        bytes += Array(#","links":"#.utf8)
        bytes += JSONValue.array([OGCDocuments.link(url, "self", "application/geo+json", "This answer")]).encodedBytes()
        bytes += Array(#","features":["#.utf8)
        for (i, feature) in answer.features.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += feature
        }
        bytes += Array("]}\n".utf8)
        return FeaturesRoutes.response(bytes, type: "application/geo+json")
    }
}
