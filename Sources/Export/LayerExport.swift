import Foundation
import Geometry

/// One whole export: safeguard every site for the audience, filter, write the format, then
/// write the manifest. The same path for every format, so the audience rules cannot differ.
///
/// ```swift
/// let report = try LayerExport(format: .geojson, output: "public.geojson", policy: .init(audience: .public))
///     .run(sites, store: ["path": "atlas.gpkg"])
/// report.manifestPath   // "public.geojson.manifest.json"
/// ```
public struct LayerExport: Sendable {
    public enum Format: String, CaseIterable, Sendable {
        case geojson, geojsonseq, csv, kml, tiles
    }

    public var format: Format
    public var output: String
    public var policy: SafeguardingPolicy
    public var filter = ExportFilter()
    public var precision = 7
    public var csvGeometry: CSVLayerWriter.GeometryColumns = .wkt
    public var csvExcel = false
    public var tileOptions = TileOptions()

    public init(format: Format, output: String, policy: SafeguardingPolicy) {
        self.format = format
        self.output = output
        self.policy = policy
    }

    public struct Report: Sendable {
        public var manifest: ExportManifest
        public var manifestPath: String
        public var features: Int
        public var tiles: TileSummary?
    }

    public func run(_ sites: some Sequence<SensitiveFeature>, store: [String: String] = [:]) throws -> Report {
        var counts = ["sites": 0, "exact": 0, "generalised": 0, "withheld": 0, "filtered_out": 0]
        var visible: [ExportFeature] = []
        for site in sites {
            counts["sites", default: 0] += 1
            let treatment = policy.audience.treatment(of: site.sensitivity)
            guard let shown = policy.apply(site.feature, sensitivity: site.sensitivity) else {
                counts["withheld", default: 0] += 1
                continue
            }
            guard filter.matches(shown) else {
                counts["filtered_out", default: 0] += 1
                continue
            }
            counts[treatment == .exact ? "exact" : "generalised", default: 0] += 1
            visible.append(shown)
        }
        counts["features"] = visible.count
        var tiles: TileSummary?
        let files: [String]
        switch format {
        case .geojson, .geojsonseq:
            files = try GeoJSONLayerWriter(path: output, precision: precision, sequence: format == .geojsonseq).writeAll(visible)
        case .csv:
            let writer = try CSVLayerWriter(
                path: output, columns: CSVLayerWriter.columns(of: visible), geometry: csvGeometry,
                excel: csvExcel, precision: precision)
            files = try writer.writeAll(visible)
        case .kml:
            files = try KMLLayerWriter(path: output, precision: precision).writeAll(visible)
        case .tiles:
            let result = try TileExport.run(visible, output: output, options: tileOptions)
            tiles = result.summary
            counts["tiles"] = result.summary.tileCount
            files = result.files
        }
        let manifest = try ExportManifest(
            format: format.rawValue, audience: policy.audience, cellSize: policy.cellSize,
            filters: filter.summary, counts: counts, store: store, files: files)
        let path = ExportManifest.path(for: output)
        try manifest.write(to: path)
        return Report(manifest: manifest, manifestPath: path, features: visible.count, tiles: tiles)
    }
}
