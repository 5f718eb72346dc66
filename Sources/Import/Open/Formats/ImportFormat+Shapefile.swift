import Foundation

extension ImportFormat {
    /// ESRI shapefiles: the `.shp` by its magic bytes, its parts (`.shx`, `.dbf`, `.prj`,
    /// `.cpg`, `.cst`) by name, each opened through the `.shp` beside it.
    ///
    /// ```swift
    /// try ImportFormat.detect(URL(fileURLWithPath: "fosas.dbf"))   // shapefile
    /// try ImportFormat.shapefile.open(ImportOpening(url: dbf, displayName: "fosas.dbf"))   // reads fosas.shp
    /// ```
    /// A part whose `.shp` is missing is `ImportError.unreadable` ("no .shp beside it").
    public static let shapefile = ImportFormat(
        name: "shapefile",
        extensions: [.content("shp"), .part("shx"), .part("dbf"), .part("prj"), .part("cpg"), .part("cst")],
        magic: { $0.starts(with: [0x00, 0x00, 0x27, 0x0A]) }
    ) { opening in
        let url = opening.url
        var shp = url
        if url.pathExtension.lowercased() != "shp" {
            let parts = opening.siblings
                ?? (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path))
            let base = url.deletingPathExtension().lastPathComponent.lowercased()
            guard let found = parts?.first(where: {
                let u = URL(fileURLWithPath: $0)
                return u.pathExtension.lowercased() == "shp" && u.deletingPathExtension().lastPathComponent.lowercased() == base
            }) else {
                throw ImportError.unreadable(file: opening.displayName, reason: "no .shp beside it")
            }
            shp = url.deletingLastPathComponent().appendingPathComponent(found)
        }
        let name = shp == url ? opening.displayName : shp.path
        return [try ShapefileSource(url: shp, encoding: opening.options.encoding, displayName: name,
                                    siblings: opening.siblings)]
    }
}
