import Foundation
import Geometry

/// One whole export: safeguard every site for the audience, filter, write the format, then
/// write the manifest. The same path (`ExportSelection`) for every format, so the audience
/// rules cannot differ.
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
    /// CSV property columns in order; nil takes every key the shown features have (which
    /// holds every feature in memory until the end).
    public var csvColumns: [String]?
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
        try run(store: store) { emit in
            for site in sites { try emit(site) }
        }
    }

    /// Runs the export over sites that `produce` hands over one at a time (for example from a
    /// store's listing), so that layer files are written as the sites arrive.
    ///
    /// ```swift
    /// try LayerExport(format: .geojson, output: "p.geojson", policy: policy).run(store: identity) { emit in
    ///     try store.forEachSite { try emit($0.sensitiveFeature) }
    /// }
    /// ```
    /// GeoJSON, GeoJSON sequences, KML, and CSV with `csvColumns` set stream: memory does not
    /// grow with the number of sites. Tiles, and CSV without `csvColumns` (the columns are
    /// every key seen), hold the shown features until the end.
    public func run(
        store: [String: String] = [:], _ produce: (_ emit: (SensitiveFeature) throws -> Void) throws -> Void
    ) throws -> Report {
        var selection = ExportSelection(policy: policy, filter: filter)
        let streamed: FeatureWriter?
        switch format {
        case .geojson, .geojsonseq:
            streamed = try GeoJSONLayerWriter(path: output, precision: precision, sequence: format == .geojsonseq)
        case .kml:
            streamed = try KMLLayerWriter(path: output, precision: precision)
        case .csv where csvColumns != nil:
            streamed = try CSVLayerWriter(
                path: output, columns: csvColumns ?? [], geometry: csvGeometry, excel: csvExcel, precision: precision)
        case .csv, .tiles:
            streamed = nil
        }
        var held: [ExportFeature] = []
        try produce { site in
            guard let (shown, _) = selection.select(site) else { return }
            if let streamed { try streamed.write(shown) } else { held.append(shown) }
        }
        var counts = selection.counts
        counts["features"] = selection.shown
        var tiles: TileSummary?
        let files: [String]
        switch (format, streamed) {
        case let (_, writer?):
            files = try writer.finish()
        case (.tiles, nil):
            let result = try TileExport.run(held, output: output, options: tileOptions)
            tiles = result.summary
            counts["tiles"] = result.summary.tileCount
            files = result.files
        default:
            let writer = try CSVLayerWriter(
                path: output, columns: CSVLayerWriter.columns(of: held), geometry: csvGeometry,
                excel: csvExcel, precision: precision)
            files = try writer.writeAll(held)
        }
        let manifest = try ExportManifest(
            format: format.rawValue, audience: policy.audience, cellSize: policy.cellSize,
            filters: filter.summary, counts: counts, store: store, files: files)
        let path = ExportManifest.path(for: output)
        try manifest.write(to: path)
        return Report(manifest: manifest, manifestPath: path, features: selection.shown, tiles: tiles)
    }
}
