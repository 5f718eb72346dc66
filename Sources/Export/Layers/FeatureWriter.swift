/// A writer of one layer file that takes features one at a time (streamed) and closes once.
///
/// ```swift
/// let writer = try GeoJSONLayerWriter(path: "sites.geojson")
/// for f in features { try writer.write(f) }
/// let files = try writer.finish()   // ["sites.geojson"]
/// ```
public protocol FeatureWriter: AnyObject {
    func write(_ feature: ExportFeature) throws
    /// Completes the file(s) and returns every path written.
    func finish() throws -> [String]
}

extension FeatureWriter {
    /// Writes every feature, then finishes.
    public func writeAll(_ features: some Sequence<ExportFeature>) throws -> [String] {
        for f in features { try write(f) }
        return try finish()
    }
}
