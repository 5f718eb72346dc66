import Foundation

/// What a format's opener is given: the file, how messages name it, the options, and the
/// names of the files beside it when they are known already.
///
/// ```swift
/// let layers = try ImportFormat.csv.open(ImportOpening(url: url, displayName: "sites.csv"))
/// ```
/// `siblings` is set for a zip's members (the archive listed them as it extracted), so that
/// a shapefile finds its parts without listing the folder again; nil means list the folder.
public struct ImportOpening: Sendable {
    public let url: URL
    /// How messages name the file (a zip member by its place in the zip: `a.zip/pts.shp`).
    public let displayName: String
    public let options: OpeningOptions
    public let siblings: [String]?

    public init(url: URL, displayName: String, options: OpeningOptions = OpeningOptions(), siblings: [String]? = nil) {
        self.url = url
        self.displayName = displayName
        self.options = options
        self.siblings = siblings
    }
}
