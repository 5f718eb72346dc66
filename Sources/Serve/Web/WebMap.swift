import Foundation
import Geometry

/// What the web map at `/` is made of besides the store: the folder of its files, the offline
/// basemap (Natural Earth land and country outlines, a GeoJSON file), and, for online use, a
/// basemap at another host (`--basemap URL`: a MapLibre style, or a raster tile template with
/// `{z}/{x}/{y}`). Without `basemapURL` the page asks nothing of any other host.
///
/// ```swift
/// let map = WebMap(folder: try WebFolder(path: "web"), basemapFile: "geodata/basemap/natural-earth-110m.geojson")
/// map.pageSettings(audience: .public)   // {"style":"style.json", "basemap":{"type":"geojson",…}, …}
/// ```
public struct WebMap: Sendable {
    public var folder: WebFolder
    /// The GeoJSON file served at `/basemap.geojson`; nil when there is none.
    public var basemapFile: String?
    /// A basemap at another host, named by the user.
    public var basemapURL: String?

    /// Where the offline basemap is in the source tree.
    public static let basemapPath = "geodata/basemap/natural-earth-110m.geojson"

    public init(folder: WebFolder, basemapFile: String? = nil, basemapURL: String? = nil) {
        self.folder = folder
        self.basemapFile = basemapFile
        self.basemapURL = basemapURL
    }

    /// The offline basemap beside a web folder: `geodata/basemap/…` in the folder above it (the
    /// source tree), else in the working folder; nil when neither has it.
    public static func defaultBasemap(beside folder: WebFolder) -> String? {
        let tree = folder.root.deletingLastPathComponent().appendingPathComponent(basemapPath).path
        return [tree, basemapPath].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The basemap the page draws: `{"type":"style"|"raster"|"geojson","url":…}` (`none` when there is none).
    func basemap(geojsonURL: String) -> JSONValue {
        if let url = basemapURL {
            if url.contains("{z}") { return ["type": "raster", "url": .string(url)] }
            return ["type": "style", "url": .string(url)]
        }
        guard basemapFile != nil else { return ["type": "none"] }
        return ["type": "geojson", "url": .string(geojsonURL)]
    }

    /// The settings the page reads from `map.json`, with URLs relative to the page: the style,
    /// the sites (the audience's items, paged by `next` links), search, and the basemap.
    public func pageSettings(audience: String) -> JSONValue {
        [
            "style": "style.json",
            "sites": "collections/sites/items?limit=10000",
            "search": "search",
            "basemap": basemap(geojsonURL: "basemap.geojson"),
            "audience": .string(audience),
        ]
    }
}
