import Foundation

/// TileJSON 3.0 documents and archive metadata for a finished tile set.
///
/// ```swift
/// let json = try TileJSON.document(tileset, tiles: ["https://example.org/sites/{z}/{x}/{y}.mvt"])
/// // {"tilejson":"3.0.0","vector_layers":[{"id":"sites","fields":{…}}],"bounds":[…], …}
/// ```
/// Bounds come from the features tiled, which were already safeguarded, so they never reveal
/// a site the audience may not see.
public enum TileJSON {
    /// The `vector_layers` array as plain values.
    static func vectorLayers(_ t: TilesetDescription) -> [[String: Any]] {
        [["id": t.layerName, "fields": t.fields, "minzoom": t.minZoom, "maxzoom": t.maxZoom,
          "description": "Burial sites, one feature per site; clusters below the maximum zoom"]]
    }

    static func boundsArray(_ t: TilesetDescription) -> [Double] {
        let b = t.publishedBounds
        return [b.minX, b.minY, b.maxX, b.maxY].map(rounded)
    }

    static func rounded(_ v: Double) -> Double { (v * 1e7).rounded() / 1e7 }

    /// A TileJSON 3.0 document serving the tile set from `tiles` URL templates.
    public static func document(_ t: TilesetDescription, tiles: [String]) throws -> String {
        let c = t.center
        let object: [String: Any] = [
            "tilejson": "3.0.0", "name": t.name, "description": t.description,
            "attribution": t.attribution, "scheme": "xyz", "tiles": tiles,
            "minzoom": t.minZoom, "maxzoom": t.maxZoom, "bounds": boundsArray(t),
            "center": [rounded(c.lon), rounded(c.lat), Double(c.zoom)],
            "vector_layers": vectorLayers(t),
        ]
        return try text(object)
    }

    /// The metadata rows of an MBTiles 1.3 file (and of a tile folder's `metadata.json`).
    public static func mbtilesMetadata(_ t: TilesetDescription) throws -> [(String, String)] {
        let c = t.center
        let b = boundsArray(t)
        return [
            ("name", t.name), ("format", "pbf"), ("type", "overlay"), ("version", "1"),
            ("description", t.description), ("attribution", t.attribution),
            ("minzoom", String(t.minZoom)), ("maxzoom", String(t.maxZoom)),
            ("bounds", b.map { String($0) }.joined(separator: ",")),
            ("center", "\(rounded(c.lon)),\(rounded(c.lat)),\(c.zoom)"),
            ("json", try text(["vector_layers": vectorLayers(t)])),
        ]
    }

    static func mbtilesMetadataJSON(_ t: TilesetDescription) throws -> String {
        var object: [String: Any] = [:]
        for (k, v) in try mbtilesMetadata(t) { object[k] = v }
        return try text(object)
    }

    /// The PMTiles v3 metadata object (TileJSON-like, with `vector_layers`).
    static func pmtilesMetadata(_ t: TilesetDescription) throws -> String {
        try text([
            "name": t.name, "description": t.description, "attribution": t.attribution,
            "type": "overlay", "format": "pbf", "vector_layers": vectorLayers(t),
        ])
    }
}
