extension ImportFormat {
    /// KML 2.2 (`<kml` at its start, or a `.kml` whose content says nothing else) and KMZ
    /// (a zip called `.kmz`; a zip called anything else is a zip of files to import).
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "graves.kmz"))   // kml
    /// try ImportFormat.detect(URL(fileURLWithPath: "graves.xml"))   // kml when it holds <kml …>
    /// ```
    public static let kml = ImportFormat(
        name: "kml",
        extensions: [.fallback("kml"), .content("kmz")],
        magic: { $0.fileExtension == "kmz" && $0.starts(with: ZipMagic.localHeader) },
        text: { head in
            head.text.first == UInt8(ascii: "<") && head.lowercasedText.contains("<kml") ? .definite : .none
        }
    ) { opening in
        [try KMLSource(url: opening.url, displayName: opening.displayName, limits: opening.options.limits)]
    }
}
