import Foundation

/// Where an import found a site: the file (its absolute, standardised path), the layer
/// within it and the record number; kept in the `source_file` and `source_layer` columns.
///
/// ```swift
/// let origin = SiteOrigin(file: URL(fileURLWithPath: "fosas/cemeteries.geojson"), layer: "cemeteries", record: 3)
/// origin.file   // "/home/ana/fosas/cemeteries.geojson"
/// ```
/// Two spellings of one path (relative, with `..`, through a symbolic link) are one file.
public struct SiteOrigin: Hashable, Sendable {
    public var file: String
    public var layer: String
    /// 1-based; 0 when not known.
    public var record: Int

    public init(file: String, layer: String, record: Int) {
        self.file = file
        self.layer = layer
        self.record = record
    }

    public init(file url: URL, layer: String, record: Int) {
        self.init(file: SiteOrigin.stablePath(url), layer: layer, record: record)
    }

    /// The absolute, standardised path of a file, symbolic links resolved.
    public static func stablePath(_ url: URL) -> String {
        url.standardizedFileURL.resolvingSymlinksInPath().path
    }
}
