import Foundation

/// A reader that yields the records of one layer of one file, one at a time, so that memory
/// stays flat however large the file is.
///
/// ```swift
/// let source = try ShapefileSource(url: URL(fileURLWithPath: "fosas.shp"))
/// source.crsDefinition   // the .prj's ESRI WKT, or nil
/// while let record = try source.next() { … }
/// ```
/// A source owns open files (and C handles) and is used from one task at a time.
public protocol FeatureSource: AnyObject {
    /// The file as the user named it (for a zip member: `archive.zip/member.shp`).
    var displayName: String { get }
    /// The layer's name (the file name without extension, or the GeoPackage table).
    var layerName: String { get }
    /// The coordinate reference system the file declares (EPSG code, WKT, URN), or nil.
    var crsDefinition: String? { get }
    /// The text encoding used to decode strings and where it came from, or nil when the
    /// format fixes it (GeoJSON, GeoPackage and KML are UTF-8).
    var encoding: DeclaredEncoding? { get }
    /// Notes about the whole file (Z/M dropped, rebuilt index …).
    var fileNotes: [String] { get }
    /// The attribute names every record has, when the format says so up front (shapefile,
    /// CSV, GeoPackage); nil when each record has its own (GeoJSON, KML).
    var fieldNames: [String]? { get }
    /// The number of records when the format says so up front (progress bars), else nil.
    var expectedCount: Int? { get }
    /// The next record, or nil at the end.
    ///
    /// - Throws: `ImportError` for problems that make the rest of the file unreadable
    ///   (truncation, corruption). Per-record problems are notes on the record.
    func next() throws -> ImportedRecord?
}
