import Foundation
import GRDB
import Store

/// Writes a GeoPackage for an audience: a new store holding the shown sites only, safeguarded
/// like every other format, with its manifest.
///
/// ```swift
/// let report = try GeoPackageExport(output: "partner.gpkg", policy: SafeguardingPolicy(audience: .partner))
///     .run(store: try store.identity()) { emit in try store.forEachSite(emit) }
/// ```
/// The copy is a GraveAtlas store (so GDAL, QGIS and `graveatlas` itself open it), made with
/// `SiteStore.create` and filled with `insertBatch`, `batchSize` sites per transaction, so
/// memory stays bounded. What it holds is what the other formats show (see
/// `Site.safeguardedCopy`): events, sources, the source records' verbatim attributes and
/// import identities are not copied. An existing file at `output` is replaced.
public struct GeoPackageExport: Sendable {
    public var output: String
    public var policy: SafeguardingPolicy
    public var filter = ExportFilter()
    public var batchSize = 50_000

    public init(output: String, policy: SafeguardingPolicy) {
        self.output = output
        self.policy = policy
    }

    public func run(
        store: [String: String] = [:], _ produce: (_ emit: (ListedSite) throws -> Void) throws -> Void
    ) throws -> LayerExport.Report {
        var selection = ExportSelection(policy: policy, filter: filter)
        let copy = try SiteStore.create(at: output, force: true)
        var batch: [Site] = []
        batch.reserveCapacity(batchSize)
        let label = "export for the \(policy.audience) audience"
        do {
            try produce { listed in
                guard let (shown, treatment) = selection.select(listed.sensitiveFeature) else { return }
                batch.append(listed.site.safeguardedCopy(shown: shown, treatment: treatment, policy: policy))
                if batch.count >= batchSize {
                    try copy.insertBatch(batch, label: label)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty || selection.shown == 0 { try copy.insertBatch(batch, label: label) }
            try copy.close()
            try Self.makeSelfContained(output)
        } catch {
            try? copy.close()
            throw error
        }
        var counts = selection.counts
        counts["features"] = selection.shown
        let manifest = try ExportManifest(
            format: "gpkg", audience: policy.audience, cellSize: policy.cellSize,
            filters: filter.summary, counts: counts, store: store, files: [output])
        let path = ExportManifest.path(for: output)
        try manifest.write(to: path)
        return LayerExport.Report(manifest: manifest, manifestPath: path, features: selection.shown, tiles: nil)
    }

    /// Folds the write-ahead log into the file and leaves WAL mode, so that the one file is the
    /// whole GeoPackage (and its SHA-256 in the manifest stays true once someone opens it).
    static func makeSelfContained(_ path: String) throws {
        do {
            let queue = try DatabaseQueue(path: path)
            try queue.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "PRAGMA journal_mode = DELETE")
            }
            try queue.close()
        } catch let error as DatabaseError {
            throw ExportError.database(path: path, reason: error.message ?? "\(error.resultCode)")
        }
    }
}
