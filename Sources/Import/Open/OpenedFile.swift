import Foundation

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
/// The format is detected and opened through the `ImportFormat` registry. A zip is extracted
/// to a private folder that lives as long as its readers.
public final class OpenedFile {
    public let url: URL
    public let format: ImportFormat
    public let sources: [FeatureSource]

    /// - Throws: `ImportError` naming the file (or the zip member) and the reason.
    public init(_ url: URL, options: OpeningOptions = OpeningOptions()) throws {
        self.url = url
        try RegularFile.check(url, name: url.path)
        format = try ImportFormat.detect(url)
        sources = try format.open(ImportOpening(url: url, displayName: url.path, options: options))
    }
}
