/// The text encoding strings are decoded with, and where that choice came from.
///
/// ```swift
/// let cpg = DeclaredEncoding(name: "CP1256", origin: .cpg)
/// cpg.description   // "CP1256 (from .cpg)"
/// ```
public struct DeclaredEncoding: Hashable, Sendable, CustomStringConvertible {
    public enum Origin: String, Hashable, Sendable {
        /// `--encoding` on the command line.
        case option = "--encoding"
        case cpg = ".cpg"
        case cst = ".cst"
        /// The DBF header's language-driver id (byte 29).
        case languageDriver = "DBF language driver"
        /// Nothing said: valid UTF-8 is kept, anything else is decoded as Windows-1252.
        case none = "no declaration"
        /// The format defines it (GeoJSON, KML, GeoPackage).
        case format = "format"
    }

    /// The iconv name (`UTF-8`, `CP1256`, `ISO-8859-1` …).
    public let name: String
    public let origin: Origin

    public init(name: String, origin: Origin) {
        self.name = name
        self.origin = origin
    }

    public var description: String {
        origin == .none ? "UTF-8 where valid, else windows-1252 (no encoding declared)" : "\(name) (from \(origin.rawValue))"
    }
}
