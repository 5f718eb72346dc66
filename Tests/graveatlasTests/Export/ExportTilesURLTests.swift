import Foundation
import TestSupport
import Testing

/// The TileJSON and style `export tiles` writes, with and without `--base-url`: absolute URLs
/// below the base (a trailing slash or none, a path, a port), relative to the style without
/// one; never glyphs or text layers (no glyphs are exported); a bad base URL refused, naming
/// it and why, before anything is written.
@Suite struct ExportTilesURLTests {
    /// The demo store, in its own folder.
    static func demo(_ folder: TestFolder) throws -> String {
        let store = folder.path("demo.gpkg")
        let root = try PackageRoot.url().appendingPathComponent("geodata")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let imported = try GraveAtlasCommand.run([
            "import", store, root.appendingPathComponent("iran-1988-damaged-sites.geojson").path,
            "--mapping", root.appendingPathComponent("iran-1988-damaged-sites.mapping.yaml").path,
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        return store
    }

    static func json(_ path: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any] ?? [:]
    }

    /// The style's `sites` source, after checking the style references no glyphs and draws no text.
    static func source(ofStyle path: String) throws -> [String: Any] {
        let style = try json(path)
        #expect(style["glyphs"] == nil, "\(path) references glyphs")
        let layers = style["layers"] as? [[String: Any]] ?? []
        #expect(!layers.isEmpty && !layers.contains { $0["type"] as? String == "symbol" }, "\(path) has text layers")
        #expect(layers.contains { $0["id"] as? String == "sites-generalised-cell" })
        return ((style["sources"] as? [String: Any])?["sites"] as? [String: Any]) ?? [:]
    }

    func export(_ store: String, _ out: String, _ extra: [String] = []) throws {
        let r = try GraveAtlasCommand.run(["export", "tiles", store, "-o", out, "--minzoom", "3", "--maxzoom", "6"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func withoutABaseURLTheURLsAreRelativeToTheStyle() throws {
        let folder = try TestFolder()
        let store = try Self.demo(folder)
        try export(store, folder.path("tiles"))
        let source = try Self.source(ofStyle: folder.path("tiles/style.json"))
        #expect(source["tiles"] as? [String] == ["{z}/{x}/{y}.mvt"] && source["url"] == nil, "\(source)")
        #expect(source["minzoom"] as? Int == 3 && source["maxzoom"] as? Int == 6 && (source["bounds"] as? [Double])?.count == 4)
        #expect(try Self.json(folder.path("tiles/tilejson.json"))["tiles"] as? [String] == ["{z}/{x}/{y}.mvt"])
        try export(store, folder.path("a.mbtiles"))
        #expect(try Self.source(ofStyle: folder.path("a.mbtiles.style.json"))["url"] as? String == "a.mbtiles.tilejson.json")
        try export(store, folder.path("a.pmtiles"))
        #expect(try Self.source(ofStyle: folder.path("a.pmtiles.style.json"))["url"] as? String == "pmtiles://a.pmtiles")
    }

    @Test(arguments: [
        ("https://maps.example.org/atlas/", "https://maps.example.org/atlas"),
        ("https://maps.example.org/atlas", "https://maps.example.org/atlas"),
        ("https://maps.example.org/a/b//", "https://maps.example.org/a/b"),
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
        ("HTTPS://maps.example.org/", "HTTPS://maps.example.org"),
    ])
    func aBaseURLMakesEveryURLAbsolute(given: String, base: String) throws {
        let folder = try TestFolder()
        let store = try Self.demo(folder)
        try export(store, folder.path("tiles"), ["--base-url", given])
        #expect(try Self.source(ofStyle: folder.path("tiles/style.json"))["tiles"] as? [String] == [base + "/{z}/{x}/{y}.mvt"])
        #expect(try Self.json(folder.path("tiles/tilejson.json"))["tiles"] as? [String] == [base + "/{z}/{x}/{y}.mvt"])
        try export(store, folder.path("a.mbtiles"), ["--base-url", given])
        #expect(try Self.source(ofStyle: folder.path("a.mbtiles.style.json"))["url"] as? String == base + "/a.mbtiles.tilejson.json")
        #expect(try Self.json(folder.path("a.mbtiles.tilejson.json"))["tiles"] as? [String] == [base + "/{z}/{x}/{y}.mvt"])
        try export(store, folder.path("a.pmtiles"), ["--base-url", given])
        #expect(try Self.source(ofStyle: folder.path("a.pmtiles.style.json"))["url"] as? String == "pmtiles://" + base + "/a.pmtiles")
        #expect(try Self.json(folder.path("a.pmtiles.tilejson.json"))["tiles"] as? [String] == ["pmtiles://" + base + "/a.pmtiles/{z}/{x}/{y}"])
    }

    @Test(arguments: [
        ("maps.example.org/atlas", "is not an absolute URL"),
        ("/atlas/", "is not an absolute URL"),
        ("ftp://maps.example.org/atlas", "is not an http or https URL"),
        ("file:///srv/atlas", "is not an http or https URL"),
        ("https://", "names no host"),
        ("https://user:secret@maps.example.org/", "holds a user or password"),
        ("https://maps.example.org/atlas?v=2", "has a query or fragment"),
        ("https://maps.example.org/atlas#map", "has a query or fragment"),
        ("https://maps.example.org/my atlas", "holds a space, '{' or '}'"),
        ("https://maps.example.org/{z}", "holds a space, '{' or '}'"),
    ])
    func aBadBaseURLIsRefusedNamingIt(given: String, reason: String) throws {
        let folder = try TestFolder()
        let store = folder.path("empty.gpkg")
        #expect(try GraveAtlasCommand.run(["init", store]).status == 0)
        let r = try GraveAtlasCommand.run(["export", "tiles", store, "-o", folder.path("tiles"), "--base-url", given])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--base-url '\(given)' \(reason)"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("tiles")))
    }
}
