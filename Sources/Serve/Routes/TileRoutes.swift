import Export
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// Vector tiles on demand and what a map needs to show them: `/tiles/{z}/{x}/{y}.mvt`,
/// `/tiles.json` (TileJSON 3.0) and `/style.json` (a MapLibre style), each for the request's
/// audience.
///
/// ```swift
/// TileRoutes(tiles: service, address: address, metrics: metrics).add(to: router)
/// // GET /tiles/14/10533/6449.mvt   → 200 gzipped MVT, 204 when nothing is drawn there
/// // GET /tiles/3/5/3.mvt  If-None-Match: "t42-…"   → 304 while the store has not changed
/// // GET /tiles/25/0/0.mvt          → 400 {"code":"InvalidParameterValue",…}
/// ```
/// Every tile answer carries an `ETag` (a hash of the store's state, the audience and the tile, never the change mark itself) and
/// `Cache-Control: public` at public, `private` for any other audience (a shared cache must not
/// hand a partner's tile to the public); `Vary` names `Authorization` and `Accept-Encoding`.
/// The style draws no text: it references no glyphs or sprites, which this server does not serve.
struct TileRoutes: Sendable {
    let tiles: TileService
    let address: ServerAddress
    /// Counts the tile cache's hits and misses.
    let metrics: ServeMetrics
    /// Seconds a client or cache may reuse a tile before asking again (with its ETag).
    static let maxAge = 60

    func add(to router: Router<ServeContext>) {
        router.get("/tiles/:z/:x/:file", use: tile)
        router.get("/tiles.json", use: tileJSON)
        router.get("/style.json", use: style)
    }

    @Sendable func tile(_ request: Request, context: ServeContext) async throws -> Response {
        let coordinate = try Self.coordinate(z: context.parameters.get("z"), x: context.parameters.get("x"),
                                             file: context.parameters.get("file"), maxZoom: tiles.options.maxZoom)
        _ = try FeaturesRoutes.only([], in: request)
        let audience = context.audience
        var headers: HTTPFields = [
            .cacheControl: "\(audience == .public ? "public" : "private"), max-age=\(Self.maxAge)",
            .vary: "Accept-Encoding, Authorization",
        ]
        let service = tiles
        if let asked = request.headers[.ifNoneMatch] {
            // Known without a read when the store has not changed since its state was read.
            let etag: String
            if let known = try service.knownETag(coordinate, for: audience) {
                etag = known
            } else {
                etag = try await FeaturesRoutes.offloaded { try service.etag(coordinate, for: audience) }
            }
            headers[.eTag] = etag
            if Self.matches(asked, etag) { return Response(status: .notModified, headers: headers) }
        }
        // A cached tile is answered here, on the connection's event loop: it needs no read of the
        // store, only a look at whether anything was committed. A tile to cut goes to the pool.
        let answer: TileService.Answer
        if let kept = try service.cachedTile(coordinate, for: audience) {
            answer = kept
        } else {
            answer = try await FeaturesRoutes.offloaded { try service.tile(coordinate, for: audience) }
        }
        headers[.eTag] = answer.etag
        metrics.tileCache(hit: answer.cached)
        guard let gzip = answer.gzip else { return Response(status: .noContent, headers: headers) }
        headers[.contentType] = "application/vnd.mapbox-vector-tile"
        let body: [UInt8]
        if Self.acceptsGzip(request.headers[.acceptEncoding]) {
            headers[.contentEncoding] = "gzip"
            body = gzip
        } else {
            body = try Gzip.decompress(gzip)
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    @Sendable func tileJSON(_ request: Request, context: ServeContext) async throws -> Response {
        _ = try FeaturesRoutes.only(["f"], in: request)
        let audience = context.audience, service = tiles
        let tileset = try await FeaturesRoutes.offloaded { try service.tileset(for: audience) }
        let base = RequestText.base(of: request, fallback: address.base)
        let text = try TileJSON.document(tileset, tiles: [base + "/tiles/{z}/{x}/{y}.mvt"])
        return document(text, audience: audience)
    }

    @Sendable func style(_ request: Request, context: ServeContext) async throws -> Response {
        _ = try FeaturesRoutes.only(["f"], in: request)
        let audience = context.audience, service = tiles
        let tileset = try await FeaturesRoutes.offloaded { try service.tileset(for: audience) }
        let base = RequestText.base(of: request, fallback: address.base)
        let text = try MapStyle.document(tileset, source: base + "/tiles.json", glyphs: nil)
        return document(text, audience: audience)
    }

    private func document(_ text: String, audience: Audience) -> Response {
        Response(status: .ok, headers: [
            .contentType: "application/json",
            .cacheControl: "\(audience == .public ? "public" : "private"), max-age=\(Self.maxAge)",
            .vary: "Authorization",
        ], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The tile a path names, checked: z within 0…24 (404 beyond the tile set's maximum zoom),
    /// x and y within 0…2^z−1, written as plain decimal numbers, the file ending in `.mvt`.
    static func coordinate(z: String?, x: String?, file: String?, maxZoom: Int) throws -> TileCoordinate {
        func number(_ text: String?, _ name: String) throws -> Int {
            guard let text, !text.isEmpty, text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let value = Int(text) else {
                throw ServeError.badRequest("InvalidParameterValue",
                                            "\(name): a whole number, not '\(ItemsQuery.clipped(text ?? ""))'")
            }
            return value
        }
        guard let file, file.hasSuffix(".mvt") else {
            throw ServeError.notFound("tiles are /tiles/{z}/{x}/{y}.mvt")
        }
        let zoom = try number(z, "z")
        guard zoom <= 24 else { throw ServeError.badRequest("InvalidParameterValue", "z: 0…24, not \(zoom)") }
        let n = 1 << zoom
        let column = try number(x, "x"), row = try number(String(file.dropLast(4)), "y")
        guard column < n else { throw ServeError.badRequest("InvalidParameterValue", "x: 0…\(n - 1) at zoom \(zoom), not \(column)") }
        guard row < n else { throw ServeError.badRequest("InvalidParameterValue", "y: 0…\(n - 1) at zoom \(zoom), not \(row)") }
        guard zoom <= maxZoom else { throw ServeError.notFound("the tiles go to zoom \(maxZoom); \(zoom) is beyond it") }
        return TileCoordinate(z: zoom, x: column, y: row)
    }

    /// Whether an `If-None-Match` value names the ETag (or is `*`).
    static func matches(_ asked: String, _ etag: String) -> Bool {
        asked.split(separator: ",").contains { tag in
            let t = tag.trimmingCharacters(in: .whitespaces)
            return t == "*" || t == etag || t == "W/" + etag
        }
    }

    /// Whether `Accept-Encoding` allows gzip (named without `q=0`, or `*`): codings compared
    /// without regard to case, spaces and tabs around each part ignored, a weight that is not a
    /// number taken as 1.
    ///
    /// Read byte by byte, without making a string per part: every tile request asks it.
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        let bytes = Array(header.utf8)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            if codingAllowsGzip(bytes[start..<end]) { return true }
            start = end + 1
        }
        return false
    }

    /// One item of `Accept-Encoding` (`gzip;q=0.5`): whether it names gzip or `*` with no weight of 0.
    private static func codingAllowsGzip(_ item: ArraySlice<UInt8>) -> Bool {
        let parts = item.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
        guard let first = parts.first else { return false }
        let coding = trimmed(first)
        guard coding.elementsEqual("*".utf8) || (coding.count == 4 && zip(coding, "gzip".utf8).allSatisfy { $0 | 0x20 == $1 })
        else { return false }
        for parameter in parts.dropFirst() {
            let p = trimmed(parameter)
            guard p.count >= 2, p[p.startIndex] | 0x20 == UInt8(ascii: "q"), p[p.startIndex + 1] == UInt8(ascii: "=") else { continue }
            if (Double(String(decoding: p.dropFirst(2), as: UTF8.self)) ?? 1) <= 0 { return false }
        }
        return true
    }

    private static func trimmed(_ part: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var part = part
        while let b = part.first, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { part.removeFirst() }
        while let b = part.last, b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { part.removeLast() }
        return part
    }
}
