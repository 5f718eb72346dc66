/// How the writers lay out what they write; every field has a default that suits a terminal or
/// a published file.
///
/// ```swift
/// var options = OutputOptions()
/// options.precision = 6             // coordinates to about 0.1 m
/// options.csvGeometry = .centroid   // CSV lon,lat columns instead of WKT
/// ```
public struct OutputOptions: Hashable, Sendable {
    /// How CSV carries geometry.
    public enum CSVGeometry: String, Hashable, Sendable, CaseIterable {
        /// One `wkt` column with the full geometry.
        case wkt
        /// `lon` and `lat` of the centroid (a point's own position).
        case centroid
    }

    /// Decimals kept in coordinates (7 ≈ 1 cm).
    public var precision = 7
    public var csvGeometry = CSVGeometry.wkt
    /// Start CSV with a UTF-8 byte-order mark, so that Excel reads Persian text.
    public var excel = false
    /// The KML document's name.
    public var documentName = "GraveAtlas sites"
    /// The terminal table's columns (figures are always first); others are left out.
    public var tableFields = ["id", "name", "site_type", "status", "condition", SiteField.generalisedKey]

    public init() {}
}
