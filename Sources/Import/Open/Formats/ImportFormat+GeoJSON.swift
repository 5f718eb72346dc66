extension ImportFormat {
    /// GeoJSON: a FeatureCollection, a Feature, or a sequence of features (newline-delimited
    /// or RFC 8142), recognised by its first character whatever the file is called.
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "sites.txt"))      // geojson when it starts with "{"
    /// try ImportFormat.detect(URL(fileURLWithPath: "sites.ndjson"))   // geojson
    /// ```
    /// `[` is GeoJSON unless the extension names another format (a CSV whose first cell starts
    /// with a bracket). The extensions are GDAL's (`.geojson`, `.json`; `.geojsonl`,
    /// `.geojsons` for sequences) and the usual names of newline-delimited JSON (`.ndjson`,
    /// `.jsonl`).
    public static let geoJSON = ImportFormat(
        name: "geojson",
        extensions: [.fallback("geojson"), .fallback("json"), .fallback("geojsonl"), .fallback("geojsons"),
                     .fallback("ndjson"), .fallback("jsonl")],
        text: { head in
            let first = head.text.first
            if first == UInt8(ascii: "{") { return .definite }
            return first == UInt8(ascii: "[") ? .unlessNamedOtherwise : .none
        }
    ) { opening in
        [try GeoJSONSource(url: opening.url, displayName: opening.displayName)]
    }
}
