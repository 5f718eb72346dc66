import Foundation
import Geometry
import HTTPTypes
import Hummingbird
import NIOPosix
import Store

/// The routes of OGC API – Features Part 1 Core: landing page, conformance, API definition,
/// collections, the `sites` collection, its items and one item. Each answers for the request's
/// audience (`ServeContext.audience`) through a `SiteCatalogue`.
///
/// ```swift
/// FeaturesRoutes(catalogue: catalogue, address: ServerAddress("http://127.0.0.1:8080")).add(to: router)
/// ```
struct FeaturesRoutes: Sendable {
    let catalogue: any SiteCatalogue
    /// The base URL of links when the request's `Host` cannot be used.
    let address: ServerAddress
    /// The web map a browser gets at `/`; without it, a small HTML landing page.
    var web: WebRoutes? = nil
    /// Why there is no web map, for the small landing page to say (nil when there is one, or none was looked for).
    var webProblem: String? = nil

    func add(to router: Router<ServeContext>) {
        router.get("/", use: landing)
        router.get("/conformance", use: conformance)
        router.get("/api", use: api)
        router.get("/collections", use: collections)
        router.get("/collections/:collectionId", use: collection)
        router.get("/collections/:collectionId/items", use: items)
        router.get("/collections/:collectionId/items/:featureId", use: item)
    }

    @Sendable func landing(_ request: Request, context: ServeContext) throws -> Response {
        // The web map keeps its state in the page's query (`?lang=fa&year=2000&condition=…`), which the page reads.
        let parameters = try Self.only(web == nil ? ["f"] : WebRoutes.pageParameters, in: request)
        let base = RequestText.base(of: request, fallback: address.base)
        if try RequestText.wantsHTML(request, parameters) {
            if let web { return try web.page(request) }
            return Self.response(Array(LandingPageHTML.text(base: base, audience: context.audience.rawValue, problem: webProblem).utf8),
                                 type: "text/html; charset=utf-8")
        }
        if let name = parameters.keys.sorted().first(where: { $0 != "f" }) {
            throw ServeError.badRequest("InvalidParameterValue", "unknown query parameter '\(ItemsQuery.clipped(name))'; the landing page as JSON takes f")
        }
        return Self.json(OGCDocuments(base: base).landing())
    }

    @Sendable func conformance(_ request: Request, context: ServeContext) throws -> Response {
        try Self.jsonOnly(request)
        return Self.json(OGCDocuments(base: RequestText.base(of: request, fallback: address.base)).conformance())
    }

    @Sendable func api(_ request: Request, context: ServeContext) throws -> Response {
        try Self.jsonOnly(request)
        return Self.json(OpenAPIDocument.make(base: RequestText.base(of: request, fallback: address.base)),
                         type: "application/vnd.oai.openapi+json;version=3.0")
    }

    @Sendable func collections(_ request: Request, context: ServeContext) async throws -> Response {
        try await collectionDocument(request, context) { $0.collections($1) }
    }

    @Sendable func collection(_ request: Request, context: ServeContext) async throws -> Response {
        try Self.checkCollection(context)
        return try await collectionDocument(request, context) { $0.collection($1) }
    }

    /// `/collections` or `/collections/sites`: a document made from the collection as the
    /// request's audience sees it.
    private func collectionDocument(_ request: Request, _ context: ServeContext,
                                    _ document: (OGCDocuments, CollectionSummary) -> JSONValue) async throws -> Response {
        try Self.jsonOnly(request)
        let audience = context.audience
        let summary = try await Self.offloaded { try catalogue.collection(for: audience) }
        return Self.json(document(OGCDocuments(base: RequestText.base(of: request, fallback: address.base)), summary))
    }

    @Sendable func items(_ request: Request, context: ServeContext) async throws -> Response {
        try Self.checkCollection(context)
        let parameters = try RequestText.parameters(of: request)
        let query = try ItemsQuery(parameters)
        let audience = context.audience
        let page = try await Self.offloaded { try catalogue.items(ItemsQueryInput(query: query), for: audience) }
        let base = RequestText.base(of: request, fallback: address.base)
        let url = base + "/collections/\(OGCDocuments.collectionID)/items"
        let selfQuery = parameters.sorted { $0.key < $1.key }.map { "\(RequestText.encode($0.key))=\(RequestText.encode($0.value))" }
        var links: [JSONValue] = [
            OGCDocuments.link(url + (selfQuery.isEmpty ? "" : "?" + selfQuery.joined(separator: "&")), "self",
                              "application/geo+json", "This page"),
            OGCDocuments.link(base + "/collections/\(OGCDocuments.collectionID)", "collection", "application/json",
                              "The collection"),
        ]
        if let next = page.next {
            let q = query.parameters(after: next, original: parameters).map { "\(RequestText.encode($0.0))=\(RequestText.encode($0.1))" }
            links.append(OGCDocuments.link(url + "?" + q.joined(separator: "&"), "next", "application/geo+json", "The next page"))
        }
        var bytes = Array(#"{"type":"FeatureCollection","numberMatched":"#.utf8)
        bytes += Array("\(page.numberMatched),\"numberReturned\":\(page.features.count),\"timeStamp\":".utf8)
        bytes += JSONValue.string(Self.timeStamp()).encodedBytes()
        bytes += Array(#","links":"#.utf8)
        bytes += JSONValue.array(links).encodedBytes()
        bytes += Array(#","features":["#.utf8)
        for (i, feature) in page.features.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes += feature
        }
        bytes += Array("]}\n".utf8)
        return Self.response(bytes, type: "application/geo+json")
    }

    @Sendable func item(_ request: Request, context: ServeContext) async throws -> Response {
        try Self.checkCollection(context)
        let parameters = try RequestText.parameters(of: request)
        if let name = parameters.keys.first(where: { $0 != "f" }) {
            throw ServeError.badRequest("InvalidParameterValue", "unknown query parameter '\(ItemsQuery.clipped(name))'; this endpoint takes f")
        }
        if let f = parameters["f"], !["json", "geojson"].contains(f) {
            throw ServeError.badRequest("InvalidParameterValue", "f: features are GeoJSON (f=json or f=geojson), not '\(ItemsQuery.clipped(f))'")
        }
        let id = context.parameters.get("featureId") ?? ""
        // An unknown id and a site the audience may not see get the same answer.
        let audience = context.audience
        guard var feature = try await Self.offloaded({ try catalogue.item(id: id, for: audience) }) else {
            throw ServeError.notFound("no such site in the collection")
        }
        let base = RequestText.base(of: request, fallback: address.base)
        let collection = base + "/collections/\(OGCDocuments.collectionID)"
        let links: JSONValue = [
            OGCDocuments.link(collection + "/items/" + RequestText.encode(id), "self", "application/geo+json", "This site"),
            OGCDocuments.link(collection, "collection", "application/json", "The collection"),
        ]
        // The feature text ends with the Feature object's closing brace: the links go before it.
        if feature.last == UInt8(ascii: "}") { feature.removeLast() }
        feature += Array(#","links":"#.utf8) + links.encodedBytes() + Array("}\n".utf8)
        return Self.response(feature, type: "application/geo+json")
    }

    // MARK: helpers

    /// Runs the store's blocking reads on a thread pool (the server's own, `BlockingReads`),
    /// not on the tasks' cooperative threads (two on a two-core machine): a slow read, such
    /// as the first after an import (which builds the audience's index), then holds up no
    /// other request.
    static func offloaded<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await BlockingReads.run(body)
    }

    static func checkCollection(_ context: ServeContext) throws {
        guard context.parameters.get("collectionId") == OGCDocuments.collectionID else {
            throw ServeError.notFound("no such collection: \(ItemsQuery.clipped(context.parameters.get("collectionId") ?? ""))")
        }
    }

    /// The parameters, refusing any not in `allowed`.
    static func only(_ allowed: Set<String>, in request: Request) throws -> [String: String] {
        let parameters = try RequestText.parameters(of: request)
        if let name = parameters.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ServeError.badRequest("InvalidParameterValue",
                "unknown query parameter '\(ItemsQuery.clipped(name))'; this endpoint takes \(allowed.sorted().joined(separator: ", "))")
        }
        return parameters
    }

    /// Refuses parameters other than `f`, and an `f` other than json.
    static func jsonOnly(_ request: Request) throws {
        let parameters = try only(["f"], in: request)
        if let f = parameters["f"], f != "json" {
            throw ServeError.badRequest("InvalidParameterValue", "f: this resource is JSON only (f=json), not '\(ItemsQuery.clipped(f))'")
        }
    }

    static func json(_ value: JSONValue, type: String = "application/json") -> Response {
        response(value.encodedBytes() + [UInt8(ascii: "\n")], type: type)
    }

    static func response(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func timeStamp() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date())
    }
}
