import Foundation

/// The file formats the importer reads, recognised by their first bytes and, where content
/// says nothing definite (CSV), by extension.
///
/// ```swift
/// try ImportFormat.detect(URL(fileURLWithPath: "FOSAS.SHP"))   // .shapefile
/// try ImportFormat.detect(URL(fileURLWithPath: "sites.txt"))   // .geoJSON when it starts with "{"
/// ```
public enum ImportFormat: String, Sendable, CaseIterable {
    case shapefile, geoJSON, csv, geoPackage, kml, zip

    /// - Throws: `ImportError.unreadable` for a missing file, `unrecognisedFormat` otherwise.
    /// `name`: how messages name the file (a zip member by its place in the zip).
    public static func detect(_ url: URL, name: String? = nil) throws -> ImportFormat {
        let name = name ?? url.path
        guard let file = try? FileHandle(forReadingFrom: url) else {
            throw ImportError.unreadable(file: name, reason: "no such file or not readable")
        }
        defer { try? file.close() }
        let head = [UInt8]((try? file.read(upToCount: 512)) ?? Data())
        let ext = url.pathExtension.lowercased()
        if head.starts(with: Array("SQLite format 3\0".utf8)) { return .geoPackage }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return ext == "kmz" ? .kml : .zip }
        if head.starts(with: [0x00, 0x00, 0x27, 0x0A]) { return .shapefile }
        if ["shx", "dbf", "prj", "cpg", "cst"].contains(ext) { return .shapefile }
        let text = head.drop { [0x20, 0x09, 0x0A, 0x0D, 0x1E, 0xEF, 0xBB, 0xBF].contains($0) }
        if let first = text.first {
            if first == UInt8(ascii: "{") || (first == UInt8(ascii: "[") && ext != "csv") { return .geoJSON }
            if first == UInt8(ascii: "<") {
                let prefix = String(decoding: text.prefix(512), as: UTF8.self).lowercased()
                if prefix.contains("<kml") || ext == "kml" { return .kml }
            }
        }
        switch ext {
        case "csv", "tsv", "txt", "tab": return .csv
        case "geojson", "json", "geojsons", "geojsonl", "ndjson", "jsonl": return .geoJSON
        case "kml": return .kml
        default: throw ImportError.unrecognisedFormat(file: name)
        }
    }
}
