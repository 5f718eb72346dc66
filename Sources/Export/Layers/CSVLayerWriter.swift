import Foundation
import Geometry

/// Writes CSV (RFC 4180): `id`, the chosen property columns, then the geometry as a `wkt`
/// column or as `lon`,`lat` of its centroid.
///
/// ```swift
/// let w = try CSVLayerWriter(path: "sites.csv", columns: ["name", "name:fa"], geometry: .centroid)
/// // id,name,name:fa,lon,lat
/// // site-1,Khavaran,خاوران,51.4731,35.6322
/// ```
/// Fields holding a comma, quote, CR or LF are quoted, quotes doubled. `excel` starts the file
/// with a UTF-8 byte-order mark so that Excel reads Persian text correctly. A property missing
/// from a feature leaves its cell empty; properties not among `columns` are not written.
public final class CSVLayerWriter: FeatureWriter {
    public enum GeometryColumns: String, Sendable {
        /// One `wkt` column with the full geometry.
        case wkt
        /// `lon` and `lat` of the centroid (a point's own position).
        case centroid
    }

    public let columns: [String]
    public let geometry: GeometryColumns
    public let precision: Int
    private let out: OutputFile
    private let context: GEOSContext

    public init(path: String, columns: [String], geometry: GeometryColumns = .wkt, excel: Bool = false, precision: Int = 7) throws {
        self.columns = columns
        self.geometry = geometry
        self.precision = precision
        context = try GEOSContext()
        out = try OutputFile(path: path)
        if excel { try out.write([0xEF, 0xBB, 0xBF]) }
        let geometryHeader = geometry == .wkt ? ["wkt"] : ["lon", "lat"]
        try out.write(Self.row(["id"] + columns + geometryHeader))
    }

    /// Every property key in first-seen order, for writers that take all fields.
    public static func columns(of features: some Sequence<ExportFeature>) -> [String] {
        var seen = Set<String>(), out: [String] = []
        for f in features { for p in f.properties where seen.insert(p.key).inserted { out.append(p.key) } }
        return out
    }

    public func write(_ feature: ExportFeature) throws {
        var cells = [feature.siteID]
        for c in columns { cells.append(feature.value(for: c)?.description ?? "") }
        switch geometry {
        case .wkt:
            cells.append(feature.geometry.wkt)
        case .centroid:
            let c: Position
            if case let .point(p) = feature.geometry {
                c = p.position
            } else {
                let centroid = try context.centroid(feature.geometry)
                guard case let .point(p) = centroid else {
                    throw ExportError.geometry(siteID: feature.siteID, reason: "has no centroid")
                }
                c = p.position
            }
            cells.append(Self.number(c.x, precision))
            cells.append(Self.number(c.y, precision))
        }
        try out.write(Self.row(cells))
    }

    public func finish() throws -> [String] {
        try out.close()
        return [out.path]
    }

    static func number(_ v: Double, _ decimals: Int) -> String {
        JSONValue.number(GeoJSONLayerWriter.rounded(v, decimals)).encoded()
    }

    static func row(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\r\n"
    }

    static func quoted(_ cell: String) -> String {
        guard cell.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return cell
        }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
