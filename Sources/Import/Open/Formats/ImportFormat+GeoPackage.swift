extension ImportFormat {
    /// OGC GeoPackage: an SQLite file, by its magic bytes; one reader per feature layer (or
    /// only the one `OpeningOptions.layer` names).
    ///
    /// ```swift
    /// try ImportFormat.geoPackage.open(ImportOpening(url: url, displayName: "both.gpkg")).map(\.layerName)
    /// // ["iran", "spain"]
    /// ```
    public static let geoPackage = ImportFormat(
        name: "gpkg",
        extensions: [.content("gpkg")],
        magic: { $0.starts(with: Array("SQLite format 3\0".utf8)) }
    ) { opening in
        try GeoPackageSource.layers(of: opening.url, only: opening.options.layer, displayName: opening.displayName,
                                    limits: opening.options.limits)
    }
}
