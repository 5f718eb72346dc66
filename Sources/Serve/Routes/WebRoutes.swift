import Export
import Foundation
import Geometry
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// The web map's own routes: its files under `/web/…` (from `WebFolder`, nothing outside it),
/// its settings at `/map.json`, and the offline basemap at `/basemap.geojson`. The page itself
/// is `/` for a browser (`FeaturesRoutes.landing` asks `page(_:)` for it).
///
/// ```swift
/// WebRoutes(map: webMap).add(to: router)
/// // GET /web/app.js                  → 200 text/javascript, Cache-Control: public, max-age=3600
/// // GET /web/vendor/maplibre-gl.js   → 200, gzipped when accepted
/// // GET /web/.hidden, /web/a/b/c     → 404
/// ```
/// The page and its settings are `no-cache` (a new release shows at once); its scripts and
/// styles may be kept an hour, MapLibre and the basemap a day. Text files are gzipped when the
/// client accepts gzip, each compressed once and kept while the file is unchanged.
struct WebRoutes: Sendable {
    let map: WebMap
    private let compressed = CompressedFiles()

    init(map: WebMap) { self.map = map }

    /// The query parameters the page's URL may carry: its state, which the page itself reads.
    static let pageParameters: Set<String> = ["f", "lang", "year", "type", "condition", "status"]

    func add(to router: Router<ServeContext>) {
        router.get("/web/:first", use: asset)
        router.get("/web/:first/:second", use: asset)
        router.get("/map.json", use: settings)
        router.get("/basemap.geojson", use: basemap)
    }

    /// The page, `index.html`, as `/` answers a browser.
    func page(_ request: Request) throws -> Response {
        guard let url = map.folder.url(at: ["index.html"]) else { throw ServeError.notFound("the web map has no index.html") }
        let (body, zipped) = try fileBody(url, request: request)
        return response(url, body: body, zipped: zipped, cacheControl: "no-cache")
    }

    @Sendable func asset(_ request: Request, context: ServeContext) async throws -> Response {
        _ = try FeaturesRoutes.only([], in: request)
        let names: [String?] = [context.parameters.get("first"), context.parameters.get("second")]
        let segments = names.compactMap { $0.map { Substring($0) } }
        guard let url = map.folder.url(at: segments) else { throw ServeError.notFound("no such file of the web map") }
        let age = segments.first == "vendor" ? 86_400 : 3_600
        let (body, zipped) = try await FeaturesRoutes.offloaded { try fileBody(url, request: request) }
        return response(url, body: body, zipped: zipped, cacheControl: "public, max-age=\(age)")
    }

    @Sendable func settings(_ request: Request, context: ServeContext) throws -> Response {
        _ = try FeaturesRoutes.only([], in: request)
        let value = map.pageSettings(audience: context.audience.rawValue)
        return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache", .vary: "Authorization"],
                        body: .init(byteBuffer: ByteBuffer(bytes: value.encodedBytes() + [UInt8(ascii: "\n")])))
    }

    @Sendable func basemap(_ request: Request, context: ServeContext) async throws -> Response {
        _ = try FeaturesRoutes.only([], in: request)
        guard let path = map.basemapFile else {
            throw ServeError.notFound("no offline basemap: \(WebMap.basemapPath) is not in the source tree or the working folder")
        }
        let url = URL(fileURLWithPath: path)
        let (body, zipped) = try await FeaturesRoutes.offloaded { try fileBody(url, request: request) }
        return response(url, body: body, zipped: zipped, cacheControl: "public, max-age=86400")
    }

    /// Whether a file of this name is text, which is worth gzipping.
    static func isText(_ url: URL) -> Bool {
        let type = WebFolder.contentType(of: url.lastPathComponent)
        return type.hasPrefix("text/") || type.hasPrefix("application/json") || type.hasPrefix("application/geo+json")
            || type.hasPrefix("image/svg")
    }

    /// The file's bytes, gzipped (and true) when the client takes gzip and the file is text.
    private func fileBody(_ url: URL, request: Request) throws -> ([UInt8], Bool) {
        if Self.isText(url), TileRoutes.acceptsGzip(request.headers[.acceptEncoding]) { return (try compressed.gzip(url), true) }
        return ([UInt8](try Data(contentsOf: url)), false)
    }

    private func response(_ url: URL, body: [UInt8], zipped: Bool, cacheControl: String) -> Response {
        var headers: HTTPFields = [.contentType: WebFolder.contentType(of: url.lastPathComponent), .cacheControl: cacheControl,
                                   .vary: "Accept-Encoding"]
        if zipped { headers[.contentEncoding] = "gzip" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// Gzipped copies of the web map's files, each made once and kept while the file's size and
/// modification time stay the same.
final class CompressedFiles: Sendable {
    private struct Entry { var size: Int; var modified: Date; var gzip: [UInt8] }
    private let entries = Mutex<[String: Entry]>([:])

    func gzip(_ url: URL) throws -> [UInt8] {
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        let modified = attributes[.modificationDate] as? Date ?? .distantPast
        if let kept = entries.withLock({ $0[url.path] }), kept.size == size, kept.modified == modified { return kept.gzip }
        let made = try Gzip.compress([UInt8](try Data(contentsOf: url)))
        entries.withLock { $0[url.path] = Entry(size: size, modified: modified, gzip: made) }
        return made
    }
}
