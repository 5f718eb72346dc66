/// A file name extension of an import format, and how far it decides the format.
///
/// ```swift
/// ImportExtension.content("gpkg")   // a .gpkg is a GeoPackage only when its bytes say so
/// ImportExtension.fallback("csv")   // a .csv is CSV unless its content says otherwise
/// ImportExtension.part("dbf")       // a .dbf is a shapefile's part whatever it holds
/// ```
/// Extensions are lowercased and carry no dot; `FOSAS.SHP` has the extension `shp`.
public struct ImportExtension: Sendable, Hashable, CustomStringConvertible {
    public enum Rule: Sendable, Hashable {
        /// The content decides (magic bytes); the name alone says nothing, and a file so named
        /// whose bytes say otherwise is not of the format (`.shp`, `.gpkg`, `.zip`, `.kmz`).
        case content
        /// The name decides when no format's content says anything definite (text formats:
        /// `.csv`, `.geojson`, `.kml`).
        case fallback
        /// A part of a file of the format, found beside its main file (a shapefile's `.dbf`):
        /// the name decides before the text is looked at; the file is opened through its main
        /// file, and is never read on its own inside a zip.
        case part
        /// As `fallback` for a file the user names, but a zip member so named is not imported
        /// (`.txt`: a spreadsheet saved as tab-delimited text, and also the `readme.txt` that
        /// comes with zipped shapefiles).
        case givenOnly
    }

    public let name: String
    public let rule: Rule

    public static func content(_ name: String) -> ImportExtension { ImportExtension(name: name, rule: .content) }
    public static func fallback(_ name: String) -> ImportExtension { ImportExtension(name: name, rule: .fallback) }
    public static func part(_ name: String) -> ImportExtension { ImportExtension(name: name, rule: .part) }
    public static func givenOnly(_ name: String) -> ImportExtension { ImportExtension(name: name, rule: .givenOnly) }

    public var description: String { "." + name }
}
