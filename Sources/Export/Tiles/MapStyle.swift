/// A MapLibre GL style for the `sites` layer: sites coloured by condition, clusters sized by
/// count, generalised sites as the squares of their cells, labels from `name` when glyphs are
/// shipped (Persian and other right-to-left names included).
///
/// ```swift
/// let style = try MapStyle.document(tileset, source: .tiles(["https://maps.example.org/atlas/{z}/{x}/{y}.mvt"]))
/// let served = try MapStyle.document(tileset, source: "https://maps.example.org/tiles.json")
/// ```
/// Without glyphs (the default) the style draws no text (no cluster counts, no labels) and
/// references none: MapLibre drops every tile when a glyph request fails.
///
/// Generalised cells (`generalised: true`, drawn as squares) are filled in the colour of the
/// condition all their sites share, and in `mixedCellColour` when they differ; their outline
/// is dashed, so that a square reads as "somewhere in here", never as a site's outline.
///
/// Right-to-left text: MapLibre shapes Arabic-script labels correctly only with the
/// `@mapbox/mapbox-gl-rtl-text` plugin loaded (`maplibregl.setRTLTextPlugin(url, true)`); the
/// web map that shows this style with glyphs must load it before the first label is drawn.
public enum MapStyle {
    /// Condition → colour, in the order the legend shows them.
    public static let conditionColours: [(String, String)] = [
        ("intact", "#2b8a3e"), ("damaged", "#f08c00"), ("destroyed", "#c92a2a"),
        ("built_over", "#862e9c"), ("exhumed", "#1971c2"), ("relocated", "#0c8599"),
        ("unknown", "#868e96"),
    ]

    /// The fill of a generalised cell whose sites' conditions differ.
    public static let mixedCellColour = "#495057"

    /// Where the style's `sites` source finds the tiles.
    public enum Source: Hashable, Sendable {
        /// A TileJSON URL (or a `pmtiles://` URL).
        case url(String)
        /// The tile URL templates themselves, the source written inline (no TileJSON request).
        case tiles([String])
    }

    static func conditionColourExpression(otherwise: String = "#868e96") -> [Any] {
        var e: [Any] = ["match", ["get", "condition"]]
        for (condition, colour) in conditionColours { e += [condition, colour] }
        e.append(otherwise)
        return e
    }

    /// The style JSON with its source at `source` (a TileJSON URL or a `pmtiles://…` URL).
    public static func document(_ t: TilesetDescription, source: String, glyphs: String? = nil) throws -> String {
        try document(t, source: .url(source), glyphs: glyphs)
    }

    /// The style JSON. With `glyphs` nil the style draws no text and references no glyphs.
    public static func document(_ t: TilesetDescription, source: Source, glyphs: String? = nil) throws -> String {
        let layer = t.layerName
        let colour = conditionColourExpression()
        let isCell: [Any] = ["==", ["get", "generalised"], true]
        let notCell: [Any] = ["!=", ["get", "generalised"], true]
        let isArea: [Any] = ["all", ["==", ["geometry-type"], "Polygon"], notCell]
        let notCluster: [Any] = ["!", ["has", "point_count"]]
        var sites: [String: Any] = ["type": "vector", "attribution": t.attribution]
        switch source {
        case let .url(url):
            sites["url"] = url
        case let .tiles(tiles):
            sites["tiles"] = tiles
            sites["minzoom"] = t.minZoom
            sites["maxzoom"] = t.maxZoom
            sites["bounds"] = TileJSON.boundsArray(t)
        }
        var layers: [[String: Any]] = [
            ["id": "sites-generalised-cell", "type": "fill", "source": "sites", "source-layer": layer,
             "filter": isCell,
             "paint": ["fill-color": conditionColourExpression(otherwise: mixedCellColour), "fill-opacity": 0.25]],
            ["id": "sites-generalised-cell-outline", "type": "line", "source": "sites", "source-layer": layer,
             "filter": isCell,
             "paint": ["line-color": conditionColourExpression(otherwise: mixedCellColour), "line-width": 1.5,
                       "line-dasharray": [2, 2]]],
            ["id": "sites-area", "type": "fill", "source": "sites", "source-layer": layer,
             "filter": isArea,
             "paint": ["fill-color": colour, "fill-opacity": 0.35]],
            ["id": "sites-outline", "type": "line", "source": "sites", "source-layer": layer,
             "filter": isArea,
             "paint": ["line-color": colour, "line-width": 1.5]],
            ["id": "sites-cluster", "type": "circle", "source": "sites", "source-layer": layer,
             "filter": ["has", "point_count"],
             "paint": ["circle-color": colour, "circle-opacity": 0.8,
                       "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
                       "circle-radius": ["interpolate", ["linear"], ["get", "point_count"], 2, 8, 100, 16, 1000, 24]]],
            ["id": "sites-point", "type": "circle", "source": "sites", "source-layer": layer,
             "filter": ["all", ["==", ["geometry-type"], "Point"], notCluster, notCell],
             "paint": ["circle-color": colour, "circle-radius": 5,
                       "circle-stroke-color": "#ffffff", "circle-stroke-width": 1]],
        ]
        var style: [String: Any] = [
            "version": 8,
            "name": t.name,
            "sources": ["sites": sites],
        ]
        if let glyphs {
            style["glyphs"] = glyphs
            style["metadata"] = ["graveatlas:rtl": "Labels may be Persian or Arabic: load the MapLibre rtl-text plugin (setRTLTextPlugin) before showing this style."]
            layers.insert(
                ["id": "sites-cluster-count", "type": "symbol", "source": "sites", "source-layer": layer,
                 "filter": ["has", "point_count"],
                 "layout": ["text-field": ["to-string", ["get", "point_count"]], "text-size": 11,
                            "text-font": ["Noto Sans Regular"], "text-allow-overlap": true]], at: 5)
            layers.append(
                ["id": "sites-label", "type": "symbol", "source": "sites", "source-layer": layer,
                 "filter": ["all", notCluster, notCell],
                 "layout": ["text-field": ["coalesce", ["get", "name"], ["get", "name:fa"], ["get", "name:en"], ""],
                            "text-font": ["Noto Sans Regular"], "text-size": 12,
                            "text-offset": [0, 1.2], "text-anchor": "top", "text-optional": true],
                 "paint": ["text-color": "#212529", "text-halo-color": "#ffffff", "text-halo-width": 1.2]])
        }
        style["layers"] = layers
        return try TileJSON.text(style, pretty: true)
    }
}
