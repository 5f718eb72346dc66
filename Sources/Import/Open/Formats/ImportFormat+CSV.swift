extension ImportFormat {
    /// Delimited text with coordinate or WKT columns, recognised by its extension only (its
    /// content says nothing definite): `.csv`, `.tsv` read with tabs, and `.txt` given by name
    /// (the delimiter found from the header: a spreadsheet's "tab-delimited text").
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "fosas.csv"))   // csv
    /// try ImportFormat.detect(URL(fileURLWithPath: "fosas.txt"))   // csv, unless it starts with "{" or "<kml"
    /// ```
    /// A `.txt` inside a zip is not imported: zipped shapefiles often come with a `readme.txt`,
    /// which would fail the import. `.tab` is not CSV: it is MapInfo's table format.
    public static let csv = ImportFormat(
        name: "csv",
        extensions: [.fallback("csv"), .fallback("tsv"), .givenOnly("txt")]
    ) { opening in
        [try CSVSource(url: opening.url, encoding: opening.options.encoding, displayName: opening.displayName)]
    }
}
