import Foundation

/// The bytes a zip archive starts with.
enum ZipMagic {
    static let localHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
}

extension ImportFormat {
    /// A zip of files in the other formats: extracted to a private folder (within
    /// `InputLimits`), each member whose extension a format reads inside zips opened as that
    /// format (`ImportFormat.zipMemberExtensions`), a shapefile with the parts beside it.
    ///
    /// ```swift
    /// let layers = try ImportFormat.zip.open(ImportOpening(url: url, displayName: "shapes.zip"))
    /// layers.map(\.displayName)   // ["shapes.zip/cementerios.shp", "shapes.zip/fosas.shp"]
    /// ```
    /// Members are read in path order. Each member's reader is reopened when it is read
    /// (`DeferredSource`), so that thousands of members do not hold thousands of files open;
    /// the readers keep the extracted folder, which is removed once they are released. A zip
    /// holding nothing importable, or a member that is itself a zip, is `ImportError.malformed`.
    public static let zip = ImportFormat(
        name: "zip",
        extensions: [.content("zip")],
        insideZip: .refused(reason: "a zip inside a zip is not read"),
        magic: { $0.starts(with: ZipMagic.localHeader) }
    ) { opening in
        let archive = try ExtractedArchive(opening.url, name: opening.displayName, limits: opening.options.limits)
        var sources: [FeatureSource] = []
        for member in archive.importableFiles {
            let name = opening.displayName + "/" + member.relativePath
            let format = try ImportFormat.detect(member.url, name: name)
            if case let .refused(reason) = format.insideZip {
                throw ImportError.malformed(file: name, record: nil, reason: reason)
            }
            let memberOpening = ImportOpening(url: member.url, displayName: name, options: opening.options,
                                              siblings: archive.siblings(of: member.url))
            for (index, layer) in try format.open(memberOpening).enumerated() {
                let layerName = layer.layerName
                // The closure keeps `archive` (and so its folder) as long as the reader lives.
                sources.append(DeferredSource(layer) {
                    let again = try format.open(memberOpening)
                    _ = archive
                    guard let match = again.first(where: { $0.layerName == layerName }) ?? again.dropFirst(index).first else {
                        throw ImportError.unreadable(file: name, reason: "layer \(layerName) is gone")
                    }
                    return match
                })
            }
        }
        guard !sources.isEmpty else {
            throw ImportError.malformed(file: opening.displayName, record: nil, reason: "the zip holds no file the importer reads")
        }
        return sources
    }
}
