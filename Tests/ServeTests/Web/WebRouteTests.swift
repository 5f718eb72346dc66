import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Serve
import Store
import Testing

/// The web map's routes through the router (no socket): the page at `/` for a browser while
/// GDAL still gets JSON, its files with their content types and caching, its settings, the
/// basemap, and nothing outside the web folder whatever the path says.
@Suite struct WebRouteTests {
    /// A web folder of its own (index.html, a script, MapLibre's two files) with a secret file
    /// beside it and a link inside it pointing out.
    struct Folder {
        let root: URL
        var web: String { root.appendingPathComponent("web").path }
        var basemap: String { root.appendingPathComponent("basemap.geojson").path }

        static func make(mapLibre: Bool = true) throws -> Folder {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("ga-web-\(UUID().uuidString)")
            let web = root.appendingPathComponent("web")
            try FileManager.default.createDirectory(at: web.appendingPathComponent("vendor"), withIntermediateDirectories: true)
            try Data("<!doctype html><title>map page</title>".utf8).write(to: web.appendingPathComponent("index.html"))
            try Data("console.log('app')".utf8).write(to: web.appendingPathComponent("app.js"))
            try Data("body{}".utf8).write(to: web.appendingPathComponent("map.css"))
            if mapLibre {
                try Data(String(repeating: "/* maplibre */\n", count: 2000).utf8).write(to: web.appendingPathComponent("vendor/maplibre-gl.js"))
                try Data(".maplibregl-map{}".utf8).write(to: web.appendingPathComponent("vendor/maplibre-gl.css"))
            }
            try Data("SECRET".utf8).write(to: root.appendingPathComponent("secret.txt"))
            try FileManager.default.createSymbolicLink(atPath: web.appendingPathComponent("leak.txt").path,
                                                       withDestinationPath: root.appendingPathComponent("secret.txt").path)
            try Data(#"{"type":"FeatureCollection","features":[]}"#.utf8).write(to: root.appendingPathComponent("basemap.geojson"))
            return Folder(root: root)
        }

        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func run(map: WebMap?, problem: String? = nil, _ body: @Sendable (RouterHarness.Get) async throws -> Void) async throws {
        let fixture = try ServeFixture.make("web", publicCount: 3, restricted: 1, confidential: 1)
        defer { fixture.remove() }
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        defer { try? store.close() }
        var logger = Logger(label: "graveatlas.serve.test")
        logger.logLevel = .error
        let router = ServeApplication.buildRouter(catalogue: StoreCatalogue(store: store),
                                                  resolver: AudienceResolver(tokenFile: nil, logger: logger),
                                                  address: ServerAddress(RouterHarness.base), webMap: map, webProblem: problem,
                                                  logger: logger)
        try await Application(router: router).test(.router) { client in
            try await body { uri, headers in
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    Answer(status: Int(response.status.code), headers: response.headers, text: String(buffer: response.body),
                           bytes: Array(buffer: response.body))
                }
            }
        }
    }

    @Test func aBrowserGetsTheMapPageAndGDALStillGetsTheLandingJSON() async throws {
        let folder = try Folder.make()
        defer { folder.remove() }
        let map = WebMap(folder: try WebFolder(path: folder.web), basemapFile: folder.basemap)
        try await Self.run(map: map) { get in
            let page = try await get("/", [.accept: "text/html,application/xhtml+xml"])
            #expect(page.status == 200 && page.text.contains("map page"))
            #expect(page.contentType == "text/html; charset=utf-8" && page.headers[.cacheControl] == "no-cache")
            let json = try await get("/", [.accept: "application/json"])
            #expect(json.status == 200 && json.contentType == "application/json" && json.text.contains("\"links\""))
            let shared = try await get("/?lang=fa&year=2000&condition=damaged,destroyed", [.accept: "text/html"])
            #expect(shared.status == 200 && shared.text.contains("map page"), "a shared view's URL opens the page")
            #expect(try await get("/?lang=fa", [.accept: "application/json"]).status == 400, "the JSON landing page takes f only")
            #expect(try await get("/?bbox=1,2,3,4", [.accept: "text/html"]).status == 400)
            let asked = try await get("/?f=json", [.accept: "text/html"])
            #expect(asked.status == 200 && asked.contentType == "application/json")
        }
    }

    @Test func filesComeWithTheirTypeAndCachingAndGzipWhenAccepted() async throws {
        let folder = try Folder.make()
        defer { folder.remove() }
        let map = WebMap(folder: try WebFolder(path: folder.web), basemapFile: folder.basemap)
        try await Self.run(map: map) { get in
            let script = try await get("/web/app.js", [:])
            #expect(script.status == 200 && script.text == "console.log('app')")
            #expect(script.contentType == "text/javascript; charset=utf-8" && script.headers[.cacheControl] == "public, max-age=3600")
            let css = try await get("/web/map.css", [:])
            #expect(css.contentType == "text/css; charset=utf-8")
            let plain = try await get("/web/vendor/maplibre-gl.js", [:])
            let zipped = try await get("/web/vendor/maplibre-gl.js", [.acceptEncoding: "gzip"])
            #expect(plain.headers[.cacheControl] == "public, max-age=86400" && plain.headers[.contentEncoding] == nil)
            #expect(zipped.headers[.contentEncoding] == "gzip" && zipped.bytes.count < plain.bytes.count / 10)
            let basemap = try await get("/basemap.geojson", [:])
            #expect(basemap.status == 200 && basemap.contentType == "application/geo+json" && basemap.text.contains("FeatureCollection"))
            let settings = try await get("/map.json", [:])
            #expect(settings.status == 200 && settings.headers[.cacheControl] == "no-cache")
            #expect(settings.json?["basemap"]?["type"]?.stringValue == "geojson" && settings.json?["audience"]?.stringValue == "public")
            #expect(settings.json?["style"]?.stringValue == "style.json")
        }
    }

    /// Nothing outside the folder: `..`, encoded dots and slashes, absolute paths, hidden files,
    /// deeper paths and a link pointing out are all refused, and the secret never comes back.
    @Test func nothingOutsideTheWebFolderCanBeRead() async throws {
        let folder = try Folder.make()
        defer { folder.remove() }
        try Data("hidden".utf8).write(to: URL(fileURLWithPath: folder.web).appendingPathComponent(".hidden"))
        let map = WebMap(folder: try WebFolder(path: folder.web), basemapFile: folder.basemap)
        let paths = [
            "/web/../secret.txt", "/web/%2e%2e/secret.txt", "/web/%2E%2E/secret.txt", "/web/..%2fsecret.txt",
            "/web/vendor/../../secret.txt", "/web/%2e%2e%2fsecret.txt", "/web//etc/passwd", "/web/etc/passwd",
            "/web" + folder.root.path + "/secret.txt", "/web/leak.txt", "/web/.hidden", "/web/vendor", "/web/a/b/c",
            "/web/app.js%00.png", "/web/app.js?x=1", "/web/%5c..%5csecret.txt", "/web/vendor/..%252fsecret.txt",
        ]
        try await Self.run(map: map) { get in
            for path in paths {
                let answer = try await get(path, [:])
                #expect((400..<500).contains(answer.status), "\(path): \(answer.status)")
                #expect(!answer.text.contains("SECRET") && !answer.text.contains("hidden") && !answer.text.contains("root:"), "\(path)")
            }
            #expect(try await get("/web/app.js", [:]).status == 200, "the server still serves")
        }
    }

    @Test func aFolderWithoutMapLibreSaysToRunSetup() throws {
        let folder = try Folder.make(mapLibre: false)
        defer { folder.remove() }
        #expect(throws: WebFolderError.noMapLibre(URL(fileURLWithPath: folder.web).resolvingSymlinksInPath()
            .appendingPathComponent("vendor/maplibre-gl.js").path)) { try WebFolder(path: folder.web) }
        let error = (try? WebFolder(path: folder.web)).map { _ in "" } ?? "\(Self.error { try WebFolder(path: folder.web) })"
        #expect(error.contains("run tools/setup"))
    }

    @Test func withoutMapLibreABrowserIsToldToRunSetup() async throws {
        let folder = try Folder.make(mapLibre: false)
        defer { folder.remove() }
        let problem = Self.error { try WebFolder(path: folder.web) }
        try await Self.run(map: nil, problem: problem) { get in
            let page = try await get("/", [.accept: "text/html"])
            #expect(page.status == 200 && page.text.contains("The web map is not served") && page.text.contains("run tools/setup"))
            #expect(try await get("/web/app.js", [:]).status == 404)
        }
    }

    static func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "" } catch { return "\(error)" }
    }

    @Test func anOnlineBasemapIsNamedInTheSettings() throws {
        let folder = try Folder.make()
        defer { folder.remove() }
        let raster = WebMap(folder: try WebFolder(path: folder.web), basemapURL: "https://tiles.example.org/{z}/{x}/{y}.png")
        #expect(raster.pageSettings(audience: "public")["basemap"]?["type"]?.stringValue == "raster")
        let style = WebMap(folder: try WebFolder(path: folder.web), basemapURL: "https://example.org/style.json")
        #expect(style.pageSettings(audience: "public")["basemap"]?["type"]?.stringValue == "style")
        let none = WebMap(folder: try WebFolder(path: folder.web))
        #expect(none.pageSettings(audience: "public")["basemap"]?["type"]?.stringValue == "none")
    }
}
