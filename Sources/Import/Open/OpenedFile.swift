import Foundation
import ZIPFoundation

/// Options that decide how files are opened.
public struct OpeningOptions: Sendable {
    /// `--encoding`: overrides what shapefiles declare; the encoding of CSV files.
    public var encoding: String?
    /// `--layer`: the only GeoPackage layer to read.
    public var layer: String?

    public init(encoding: String? = nil, layer: String? = nil) {
        self.encoding = encoding
        self.layer = layer
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
        let format = try ImportFormat.detect(url)
        if format == .zip {
            let archive = try ExtractedArchive(url)
            extracted = archive
            var sources: [FeatureSource] = []
            for member in archive.importableFiles {
                let name = url.path + "/" + member.relativePath
                sources += try OpenedFile.open(member.url, format: ImportFormat.detect(member.url),
                                               options: options, displayName: name)
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

    static func open(_ url: URL, format: ImportFormat, options: OpeningOptions, displayName: String) throws -> [FeatureSource] {
        switch format {
        case .shapefile:
            var shp = url
            if url.pathExtension.lowercased() != "shp" {
                let parts = try? FileManager.default.contentsOfDirectory(atPath: url.deletingLastPathComponent().path)
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
            return [try ShapefileSource(url: shp, encoding: options.encoding, displayName: name)]
        case .geoJSON: return [try GeoJSONSource(url: url, displayName: displayName)]
        case .csv: return [try CSVSource(url: url, encoding: options.encoding, displayName: displayName)]
        case .geoPackage: return try GeoPackageSource.layers(of: url, only: options.layer, displayName: displayName)
        case .kml: return [try KMLSource(url: url, displayName: displayName)]
        case .zip: throw ImportError.malformed(file: displayName, record: nil, reason: "a zip inside a zip is not read")
        }
    }
}

/// A zip archive extracted to a private temporary folder, removed on release.
final class ExtractedArchive {
    struct Member {
        let url: URL
        let relativePath: String
    }

    let directory: URL
    let importableFiles: [Member]

    init(_ url: URL) throws {
        let manager = FileManager.default
        directory = manager.temporaryDirectory.appendingPathComponent("graveatlas-zip-\(UUID().uuidString)")
        do {
            try manager.createDirectory(at: directory, withIntermediateDirectories: true)
            try manager.unzipItem(at: url, to: directory)
        } catch {
            try? manager.removeItem(at: directory)
            throw ImportError.truncated(file: url.path, reason: "cannot extract the zip: \(error)")
        }
        let readable: Set<String> = ["shp", "geojson", "json", "geojsonl", "ndjson", "csv", "tsv", "gpkg", "kml", "kmz"]
        var members: [Member] = []
        let root = directory.resolvingSymlinksInPath().path
        if let walker = manager.enumerator(at: directory, includingPropertiesForKeys: nil) {
            for case let file as URL in walker {
                let relative = String(file.resolvingSymlinksInPath().path.dropFirst(root.count + 1))
                if relative.hasPrefix("__MACOSX") || file.lastPathComponent.hasPrefix("._") { continue }
                if readable.contains(file.pathExtension.lowercased()) {
                    members.append(Member(url: file, relativePath: relative))
                }
            }
        }
        importableFiles = members.sorted { $0.relativePath < $1.relativePath }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}
