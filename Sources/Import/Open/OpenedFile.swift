import Foundation
import ZIPFoundation

/// Options that decide how files are opened.
public struct OpeningOptions: Sendable {
    /// `--encoding`: overrides what shapefiles declare; the encoding of CSV files.
    public var encoding: String?
    /// `--layer`: the only GeoPackage layer to read.
    public var layer: String?
    /// The bounds kept to whatever the files hold (zip bombs, views that never end …).
    public var limits: InputLimits

    public init(encoding: String? = nil, layer: String? = nil, limits: InputLimits = .standard) {
        self.encoding = encoding
        self.layer = layer
        self.limits = limits
    }
}

/// The readers for one file the user named: one for most files, one per feature layer of
/// a GeoPackage, one per importable file inside a zip.
///
/// ```swift
/// let opened = try OpenedFile(URL(fileURLWithPath: "shapes.zip"))
/// for source in opened.sources { … }   // fosas.shp, cementerios.shp
/// ```
/// A zip is extracted to a private folder that lives as long as this value.
public final class OpenedFile {
    public let url: URL
    public let sources: [FeatureSource]
    private let extracted: ExtractedArchive?

    public init(_ url: URL, options: OpeningOptions = OpeningOptions()) throws {
        self.url = url
        try RegularFile.check(url, name: url.path)
        let format = try ImportFormat.detect(url)
        if format == .zip {
            let archive = try ExtractedArchive(url, name: url.path, limits: options.limits)
            extracted = archive
            var sources: [FeatureSource] = []
            for member in archive.importableFiles {
                let name = url.path + "/" + member.relativePath
                let format = try ImportFormat.detect(member.url, name: name)
                let siblings = archive.siblings(of: member.url)
                let layers = try OpenedFile.open(member.url, format: format, options: options, displayName: name,
                                                 siblings: siblings)
                // Each member's reader is reopened when it is read, so that thousands of
                // members do not hold thousands of files open at once.
                for (index, layer) in layers.enumerated() {
                    let layerName = layer.layerName
                    sources.append(DeferredSource(layer) {
                        let again = try OpenedFile.open(member.url, format: format, options: options, displayName: name,
                                                        siblings: siblings)
                        guard let match = again.first(where: { $0.layerName == layerName }) ?? again.dropFirst(index).first else {
                            throw ImportError.unreadable(file: name, reason: "layer \(layerName) is gone")
                        }
                        return match
                    })
                }
            }
            guard !sources.isEmpty else {
                throw ImportError.malformed(file: url.path, record: nil, reason: "the zip holds no file the importer reads")
            }
            self.sources = sources
        } else {
            extracted = nil
            sources = try OpenedFile.open(url, format: format, options: options, displayName: url.path)
        }
    }

    /// `siblings`: the names of the files beside `url` when they are known (a zip's members),
    /// so that a shapefile finds its parts without listing the folder.
    static func open(_ url: URL, format: ImportFormat, options: OpeningOptions, displayName: String,
                     siblings: [String]? = nil) throws -> [FeatureSource] {
        switch format {
        case .shapefile:
            var shp = url
            if url.pathExtension.lowercased() != "shp" {
                let parts = siblings ?? (try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path))
                let base = url.deletingPathExtension().lastPathComponent.lowercased()
                guard let found = parts?.first(where: {
                    let u = URL(fileURLWithPath: $0)
                    return u.pathExtension.lowercased() == "shp" && u.deletingPathExtension().lastPathComponent.lowercased() == base
                }) else {
                    throw ImportError.unreadable(file: displayName, reason: "no .shp beside it")
                }
                shp = url.deletingLastPathComponent().appendingPathComponent(found)
            }
            let name = shp == url ? displayName : shp.path
            return [try ShapefileSource(url: shp, encoding: options.encoding, displayName: name, siblings: siblings)]
        case .geoJSON: return [try GeoJSONSource(url: url, displayName: displayName)]
        case .csv: return [try CSVSource(url: url, encoding: options.encoding, displayName: displayName)]
        case .geoPackage:
            return try GeoPackageSource.layers(of: url, only: options.layer, displayName: displayName, limits: options.limits)
        case .kml: return [try KMLSource(url: url, displayName: displayName, limits: options.limits)]
        case .zip: throw ImportError.malformed(file: displayName, record: nil, reason: "a zip inside a zip is not read")
        }
    }
}
