import Foundation
import Geometry
import Store

/// One whole export: safeguard every site for the audience, filter, write the format, then
/// write the manifest. Formats come from the `ExportFormat` registry (the `OutputFormat`
/// writers queries use, and vector tiles). Every format goes through `ExportSelection`, so the
/// audience rules cannot differ.
///
/// ```swift
/// let view = SafeguardingPolicy(audience: .public).view
/// let columns = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
/// let report = try LayerExport(format: .geojson, output: "public.geojson", policy: .init(audience: .public))
///     .run(columns: columns, store: try store.identity()) { emit in
///         try store.forEachSite { try emit(SiteRow($0, view: view)) }
///     }
/// report.manifestPath   // "public.geojson.manifest.json"
/// ```
/// Store rows stream in every layer format; tiles keep a compact record of each shown feature
/// in memory and its bytes in a scratch file until the end (`SiteSpool`). Plain features (`run(_:store:)`) are held too, to learn their columns.
public struct LayerExport: Sendable {
    /// The name of a format in the `ExportFormat` registry (`ExportFormat.names`).
    public struct Format: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public init(_ format: ExportFormat) { rawValue = format.name }

        public static let geojson = Format(ExportFormat(layer: .geojson))
        public static let geojsonseq = Format(ExportFormat(layer: .geojsonseq))
        public static let csv = Format(ExportFormat(layer: .csv))
        public static let kml = Format(ExportFormat(layer: .kml))
        public static let gpkg = Format(ExportFormat(layer: .gpkg))
        public static let tiles = Format(.tiles)
    }

    public var format: Format
    public var output: String
    public var policy: SafeguardingPolicy
    public var filter = ExportFilter()
    public var options = OutputOptions()
    public var tileOptions = TileOptions()
    /// Signs the manifest (`OUT.manifest.json.sig`, see `ManifestSignature`) when set.
    public var signingKey: ManifestSigningKey?
    /// The store's audit head, for the manifest (`ExportManifest.auditHead`).
    public var auditHead: String?

    public init(format: Format, output: String, policy: SafeguardingPolicy) {
        self.format = format
        self.output = output
        self.policy = policy
    }

    public struct Report: Sendable {
        /// What the manifest says: for `public`, only what the files show (see
        /// `ExportManifest.shownCounts`).
        public var manifest: ExportManifest
        /// Every count, for the person running the export: sites read, `exact`, `generalised`,
        /// `withheld`, `filtered_out`, `features` (and `tiles`).
        public var counts: [String: Int]
        public var manifestPath: String
        /// The manifest's signature, when signed.
        public var signaturePath: String?
        public var features: Int
        public var tiles: TileSummary?
    }

    /// Runs the export over store sites that `produce` hands over one at a time (for example
    /// from `SiteStore.forEachSite`), laid out in `columns` (see `OutputColumns.discover`).
    ///
    /// - Throws: `ExportError.unknownField` before writing anything when a filter names a
    ///   field the columns lack; `ExportError.invalidOption` for a format not in the registry.
    public func run(
        columns: OutputColumns, store: [String: String] = [:],
        _ produce: (_ emit: (SiteRow) throws -> Void) throws -> Void
    ) throws -> Report {
        try filter.validate(against: columns)
        var selection = ExportSelection(policy: policy, filter: filter)
        let sink = try makeSink(columns: columns)
        let keepingSite = sink.needsSites
        var record = OutputRecord.empty
        try produce { row in
            if try selection.select(row, columns: columns, into: &record, keepingSite: keepingSite) { try sink.write(record) }
        }
        return try report(counts: selection.counts, written: try sink.finish(), store: store)
    }

    /// Runs the export over plain features (each with its sensitivity), in their order.
    public func run(_ sites: some Sequence<SensitiveFeature>, store: [String: String] = [:]) throws -> Report {
        var selection = ExportSelection(policy: policy, filter: filter)
        let shown = sites.compactMap { selection.select($0)?.feature }
        var keys: [String] = [], seen = Set<String>()
        for f in shown { for p in f.properties where seen.insert(p.key).inserted { keys.append(p.key) } }
        let columns = OutputColumns(featureKeys: keys)
        let sink = try makeSink(columns: columns)
        for f in shown { try sink.write(columns.record(for: f)) }
        return try report(counts: selection.counts, written: try sink.finish(), store: store)
    }

    /// Whether the output names a folder the format writes into (tiles in a folder).
    public var writesFolder: Bool { ExportFormat.named(format.rawValue)?.writesFolder(output) ?? false }

    /// The registry's sink for the format, writing to the output.
    /// - Throws: `ExportError.invalidOption` for a format not in the registry.
    private func makeSink(columns: OutputColumns) throws -> any ExportSink {
        guard let registered = ExportFormat.named(format.rawValue) else {
            throw ExportError.invalidOption(
                "no output format '\(format)'; formats: \(ExportFormat.names.joined(separator: ", "))")
        }
        return try registered.sink(ExportDestination(output: output, columns: columns, options: options,
                                                     tileOptions: tileOptions))
    }

    /// Writes the manifest and says what was written.
    private func report(counts: [String: Int], written: ExportWritten, store: [String: String]) throws -> Report {
        let files = written.files, tiles = written.tiles
        var counts = counts
        let shown = (counts["exact"] ?? 0) + (counts["generalised"] ?? 0)
        counts["features"] = shown
        if let tiles { counts["tiles"] = tiles.tileCount }
        let audience = policy.audience
        var manifest = try ExportManifest(
            format: format.rawValue, audience: audience, cellSize: policy.cellSize,
            filters: ExportManifest.shownFilters(filter, for: audience),
            counts: ExportManifest.shownCounts(counts, for: audience),
            store: ExportManifest.shownStore(store, for: audience), files: files)
        manifest.gridOrigin = policy.origin
        manifest.auditHead = auditHead
        let path = ExportManifest.path(for: output)
        try manifest.write(to: path)
        let signature = try signingKey.map { try ManifestSignature.sign(path, with: $0) }
        return Report(manifest: manifest, counts: counts, manifestPath: path, signaturePath: signature, features: shown,
                      tiles: tiles)
    }
}
