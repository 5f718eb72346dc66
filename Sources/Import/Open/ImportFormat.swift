import Foundation

/// One file format the importer reads: its name, how a file is recognised as it (magic bytes,
/// text, extensions), how it is opened as readers, and whether it is read inside a zip.
/// Every format is one value in `ImportFormat.all`; detection, opening and zip-member
/// selection all read that list, so adding a format is its reader plus one entry there.
///
/// ```swift
/// let format = try ImportFormat.detect(URL(fileURLWithPath: "FOSAS.SHP"))   // shapefile
/// let layers = try format.open(ImportOpening(url: url, displayName: "FOSAS.SHP"))
/// ImportFormat.named("csv")?.extensions.map(\.name)                        // ["csv", "tsv"]
/// ```
/// Formats are told apart by name; two entries must not share a name or an extension.
public struct ImportFormat: Sendable, Hashable, CustomStringConvertible {
    /// Whether a file of the format that lies inside a zip is read.
    public enum InsideZip: Sendable, Hashable {
        case read
        /// Refused with this reason when a zip member turns out to be of the format.
        case refused(reason: String)
    }

    /// What a text file's first characters say about the format.
    public enum TextClue: Sendable, Hashable {
        /// Nothing.
        case none
        /// The format, whatever the file is called (`{` for GeoJSON, `<kml` for KML).
        case definite
        /// The format, unless an extension names another one (`[` opens GeoJSON and CSV alike).
        case unlessNamedOtherwise
    }

    public let name: String
    /// The extensions its files carry, each with how far it decides (see `ImportExtension`).
    public let extensions: [ImportExtension]
    public let insideZip: InsideZip
    let magic: @Sendable (FileHead) -> Bool
    let text: @Sendable (FileHead) -> TextClue
    let opener: @Sendable (ImportOpening) throws -> [FeatureSource]

    /// - Parameters:
    ///   - magic: whether the first bytes say the format whatever the file is called.
    ///   - text: what the first characters say, once no format's magic bytes matched.
    ///   - open: the readers for one file of the format (one per layer).
    public init(name: String, extensions: [ImportExtension], insideZip: InsideZip = .read,
                magic: @escaping @Sendable (FileHead) -> Bool = { _ in false },
                text: @escaping @Sendable (FileHead) -> TextClue = { _ in .none },
                open: @escaping @Sendable (ImportOpening) throws -> [FeatureSource]) {
        self.name = name
        self.extensions = extensions
        self.insideZip = insideZip
        self.magic = magic
        self.text = text
        opener = open
    }

    public var description: String { name }

    public static func == (a: ImportFormat, b: ImportFormat) -> Bool { a.name == b.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The readers for the file `opening` describes, one per layer.
    /// - Throws: `ImportError`, naming `opening.displayName`.
    public func open(_ opening: ImportOpening) throws -> [FeatureSource] {
        try opener(opening)
    }

    /// Whether `fileExtension` (lowercased, no dot) is one of the format's with that rule.
    func claims(_ fileExtension: String, as rule: ImportExtension.Rule) -> Bool {
        extensions.contains { $0.name == fileExtension && $0.rule == rule }
    }

    /// Every format the importer reads, in the order detection tries them (a KMZ is a zip:
    /// KML comes before zip).
    public static let all: [ImportFormat] = [.shapefile, .geoJSON, .csv, .geoPackage, .kml, .zip]

    /// The format called `name`, if any.
    public static func named(_ name: String) -> ImportFormat? {
        all.first { $0.name == name }
    }
}
