/// A source whose numbers are text written in a convention it detects (CSV), rather than
/// typed numbers (shapefile, GeoJSON, GeoPackage).
///
/// ```swift
/// let convention = (source as? NumberConventionSource)?.numberConvention ?? .unknown
/// DecimalText.read("1.000", convention: convention, whole: true)
/// ```
/// Sources that are not one read text numbers as `.unknown`: every value that could mean two
/// numbers is reported.
public protocol NumberConventionSource: FeatureSource {
    /// The file's decimal convention, found before the first record is read.
    var numberConvention: NumberConvention { get }
}
