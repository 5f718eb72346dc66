extension ImportFormat {
    /// Delimited text with coordinate or WKT columns, recognised by its extension only (its
    /// content says nothing definite): `.csv`, and `.tsv` read with tabs.
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "fosas.csv"))   // csv
    /// try ImportFormat.detect(URL(fileURLWithPath: "notes.txt"))   // unrecognisedFormat, unless it starts with "{" or "<kml"
    /// ```
    /// `.txt` and `.tab` are not CSV: GDAL reads neither as CSV by its name (`.tab` is MapInfo),
    /// and zipped shapefiles often come with a `readme.txt`, which would fail the import.
    public static let csv = ImportFormat(
        name: "csv",
        extensions: [.fallback("csv"), .fallback("tsv")]
    ) { opening in
        [try CSVSource(url: opening.url, encoding: opening.options.encoding, displayName: opening.displayName)]
    }
}
