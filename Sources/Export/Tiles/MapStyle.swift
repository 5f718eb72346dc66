/// A MapLibre GL style for the `sites` layer: sites coloured by condition, clusters sized by
/// count, labels from `name` (Persian and other right-to-left names included).
///
/// ```swift
/// let style = try MapStyle.document(tileset, tileJSONURL: "sites.mbtiles.tilejson.json")
/// ```
/// Right-to-left text: MapLibre shapes Arabic-script labels correctly only with the
/// `@mapbox/mapbox-gl-rtl-text` plugin loaded (`maplibregl.setRTLTextPlugin(url, true)`); the
/// web map that shows this style must load it before the first label is drawn.
public enum MapStyle {
    /// Condition → colour, in the order the legend shows them.
    public static let conditionColours: [(String, String)] = [
        ("intact", "#2b8a3e"), ("damaged", "#f08c00"), ("destroyed", "#c92a2a"),
        ("built_over", "#862e9c"), ("exhumed", "#1971c2"), ("relocated", "#0c8599"),
        ("unknown", "#868e96"),
    ]

    static var conditionColourExpression: [Any] {
        var e: [Any] = ["match", ["get", "condition"]]
        for (condition, colour) in conditionColours { e += [condition, colour] }
        e.append("#868e96")
        return e
    }

    /// The style JSON; `source` is a TileJSON URL or, for PMTiles, a `pmtiles://…` URL. With
    /// `glyphs` nil the style draws no text (no cluster counts, no labels) and references no
    /// glyphs: MapLibre drops every tile when a glyph request fails.
    public static func document(
        _ t: TilesetDescription, source: String, glyphs: String? = "/fonts/{fontstack}/{range}.pbf"
    ) throws -> String {
        let layer = t.layerName
        let notCluster: [Any] = ["!", ["has", "point_count"]]
        var style: [String: Any] = [
            "version": 8,
            "name": t.name,
            "metadata": ["graveatlas:rtl": "Labels may be Persian or Arabic: load the MapLibre rtl-text plugin (setRTLTextPlugin) before showing this style."],
            "sources": ["sites": ["type": "vector", "url": source, "attribution": t.attribution]],
            "layers": [
                ["id": "sites-area", "type": "fill", "source": "sites", "source-layer": layer,
                 "filter": ["==", ["geometry-type"], "Polygon"],
                 "paint": ["fill-color": conditionColourExpression, "fill-opacity": 0.35]],
                ["id": "sites-outline", "type": "line", "source": "sites", "source-layer": layer,
                 "filter": ["==", ["geometry-type"], "Polygon"],
                 "paint": ["line-color": conditionColourExpression, "line-width": 1.5]],
                ["id": "sites-cluster", "type": "circle", "source": "sites", "source-layer": layer,
                 "filter": ["has", "point_count"],
                 "paint": ["circle-color": conditionColourExpression, "circle-opacity": 0.8,
                           "circle-stroke-color": "#ffffff", "circle-stroke-width": 1,
                           "circle-radius": ["interpolate", ["linear"], ["get", "point_count"], 2, 8, 100, 16, 1000, 24]]],
                ["id": "sites-cluster-count", "type": "symbol", "source": "sites", "source-layer": layer,
                 "filter": ["has", "point_count"],
                 "layout": ["text-field": ["to-string", ["get", "point_count"]], "text-size": 11,
                            "text-font": ["Noto Sans Regular"], "text-allow-overlap": true]],
                ["id": "sites-point", "type": "circle", "source": "sites", "source-layer": layer,
                 "filter": ["all", ["==", ["geometry-type"], "Point"], notCluster],
                 "paint": ["circle-color": conditionColourExpression, "circle-radius": 5,
                           "circle-stroke-color": "#ffffff", "circle-stroke-width": 1]],
                ["id": "sites-label", "type": "symbol", "source": "sites", "source-layer": layer,
                 "filter": notCluster,
                 "layout": ["text-field": ["coalesce", ["get", "name"], ["get", "name:fa"], ["get", "name:en"], ""],
                            "text-font": ["Noto Sans Regular"], "text-size": 12,
                            "text-offset": [0, 1.2], "text-anchor": "top", "text-optional": true],
                 "paint": ["text-color": "#212529", "text-halo-color": "#ffffff", "text-halo-width": 1.2]],
            ],
        ]
        if let glyphs {
            style["glyphs"] = glyphs
        } else if let layers = style["layers"] as? [[String: Any]] {
            style["layers"] = layers.filter { ($0["type"] as? String) != "symbol" }
        }
        return try TileJSON.text(style, pretty: true)
    }
}
