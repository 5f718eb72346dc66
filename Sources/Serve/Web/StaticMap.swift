import Export
import Foundation
import Geometry
import Store

/// The web map as a static folder (`graveatlas export map`): the page and its files, the
/// settings (`map.json`), the sites as the audience sees them with their events (`sites.json`,
/// what `/collections/sites/items` pages give), the basemap and a manifest; the tiles, their
/// TileJSON and style are written into `tiles/` by the tile export. Any static web server or
/// CDN serves it; nothing of GraveAtlas runs behind it.
///
/// ```swift
/// try StaticMap.writeFiles(into: partial.path, web: folder, basemapFile: basemap, store: store,
///                          audience: .public, baseURL: nil)
/// ```
/// Search works from `sites.json` (names in every language); there are no queries.
public enum StaticMap {
    /// Marks a folder as a map export, which a new export may replace.
    public static let marker = "graveatlas:map"

    /// Every feature the audience sees, as one FeatureCollection: the items of the server,
    /// page after page (events included where the site is shown exactly).
    /// - Returns: the document and its number of features.
    public static func sitesDocument(store: SiteStore, audience: Audience) throws -> (bytes: [UInt8], count: Int) {
        let catalogue = StoreCatalogue(store: store, tileCacheBytes: 0)
        var parameters = ["limit": String(ItemsQuery.maxLimit)]
        var bytes = Array(#"{"type":"FeatureCollection","features":["#.utf8)
        var count = 0
        while true {
            let query = try ItemsQuery(parameters)
            let page = try catalogue.items(ItemsQueryInput(query: query), for: audience)
            for feature in page.features {
                if count > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += feature
                count += 1
            }
            guard let next = page.next else { break }
            parameters = Dictionary(uniqueKeysWithValues: query.parameters(after: next, original: parameters))
        }
        bytes += Array("]}\n".utf8)
        return (bytes, count)
    }

    /// Writes the page's files, `map.json`, `sites.json`, the basemap and `manifest.json` into
    /// `folder` (where the tile export has written `tiles/`). With `baseURL`, the settings name
    /// the style, sites and basemap by absolute URLs under it; else relative to the page.
    /// - Returns: the number of sites written.
    @discardableResult
    public static func writeFiles(into folder: String, web: WebFolder, basemapFile: String?, store: SiteStore,
                                  audience: Audience, baseURL: String?) throws -> Int {
        let root = URL(fileURLWithPath: folder)
        let files = FileManager.default
        var written: [(String, [UInt8])] = []
        func put(_ path: String, _ bytes: [UInt8]) throws {
            let url = root.appendingPathComponent(path)
            try files.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(bytes).write(to: url)
            written.append((path, bytes))
        }
        guard let page = try web.file(at: ["index.html"]) else { throw WebFolderError.noPage(web.root.path) }
        try put("index.html", page)
        for name in try files.contentsOfDirectory(atPath: web.root.path).sorted() where name != "index.html" {
            if let bytes = try web.file(at: [Substring(name)]) { try put("web/" + name, bytes) }
        }
        for name in WebFolder.mapLibreFiles {
            guard let bytes = try web.file(at: name.split(separator: "/")) else { throw WebFolderError.noMapLibre(name) }
            try put("web/" + name, bytes)
        }
        let (sites, count) = try sitesDocument(store: store, audience: audience)
        try put("sites.json", sites)
        if let basemapFile { try put("basemap.geojson", [UInt8](try Data(contentsOf: URL(fileURLWithPath: basemapFile)))) }
        let prefix = baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        let settings: JSONValue = [
            "style": .string(prefix + "tiles/style.json"),
            "sites": .string(prefix + "sites.json"),
            "search": .null,
            "basemap": basemapFile == nil ? ["type": "none"] : ["type": "geojson", "url": .string(prefix + "basemap.geojson")],
            "audience": .string(audience.rawValue),
        ]
        try put("map.json", settings.encodedBytes() + [UInt8(ascii: "\n")])
        // The tiles' own manifest is listed (not copied): a signature of this manifest then
        // covers it, and through it every tile.
        let tilesManifest = root.appendingPathComponent("tiles.manifest.json")
        if let bytes = try? Data(contentsOf: tilesManifest) { written.append(("tiles.manifest.json", [UInt8](bytes))) }
        let manifest: JSONValue = [
            "generator": .string(marker),
            "audience": .string(audience.rawValue),
            "sites": .number(Double(count)),
            "created": .string(ISO8601DateFormatter().string(from: Date())),
            "files": .array(written.map { path, bytes in
                ["path": .string(path), "bytes": .number(Double(bytes.count)),
                 "sha256": .string(FileDigest.sha256(of: bytes))]
            }),
            "tiles": "tiles/ (its own manifest: tiles.manifest.json)",
        ]
        try put("manifest.json", manifest.encodedBytes() + [UInt8(ascii: "\n")])
        return count
    }
}
