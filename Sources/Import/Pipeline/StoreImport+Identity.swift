import Foundation
import Store

/// The identity rules of an import that need the store: who owns a dataset name, records
/// that repeat a key, and the sites a re-imported source no longer holds.
extension StoreImport {
    /// Refuses a dataset name taken from a file name when the store's sites of that dataset
    /// came from another file (or another layer of it).
    ///
    /// ```swift
    /// // the store holds "cemeteries" from /data/philadelphia/cemeteries.geojson
    /// try claimDatasets(of: plan, in: batch)   // /data/new-york/cemeteries.geojson: throws datasetTaken
    /// ```
    /// Sites stored before their origin was kept (schema 6 and older) claim nothing.
    /// - Throws: `ImportError.datasetTaken` naming both files.
    func claimDatasets(of plan: ImportPlan, in batch: SiteImportBatch) throws {
        var checked = Set<String>()
        for source in plan.sources where source.datasetIsImplicit && checked.insert(source.dataset).inserted {
            let held = try batch.sources(ofDataset: source.dataset)
            let same = held.contains { $0.file == source.origin.file && ($0.layer == nil || $0.layer == source.origin.layer) }
            if let other = held.first, !same {
                let holder = other.layer.map { other.file + ($0 == source.origin.layer ? "" : " [\($0)]") } ?? other.file
                throw ImportError.datasetTaken(dataset: source.dataset, file: source.reader.displayName, holder: holder)
            }
        }
    }

    /// Report entries for a record whose key an earlier record of the import had: one on
    /// each record (never merged: the later one is stored as a site of its own, without the
    /// key). Under `strict` the import fails instead.
    func repeatedKey(_ item: Prepared, first: UUID, written: SiteWrite, origins: InsertedOrigins) throws -> [ImportReport.Entry] {
        let key = item.site.sourceKey ?? ""
        var earlier: (file: String, record: Int)?
        if let origin = written.repeatedKeyOrigin {
            earlier = (origin.file, origin.record)
        } else if let fid = written.repeatedKeyFid {
            earlier = origins[fid]
        }
        let whereFirst = earlier.map { "record \($0.record) of \($0.file)" } ?? "an earlier record"
        let reason = "key '\(key)' is also the key of \(whereFirst) (site \(first.uuidString))"
        if options.strict { throw ImportError.recordRejected(file: item.file, record: item.record, reason: reason) }
        var entries = [ImportReport.Entry(
            file: item.file, record: item.record, kind: ImportReport.Kind.repeatedKey,
            detail: reason + "; stored as a site of its own (site \(written.id.uuidString)) without the key, not merged")]
        if let earlier {
            entries.append(ImportReport.Entry(
                file: earlier.file, record: earlier.record, kind: ImportReport.Kind.repeatedKey,
                detail: "key '\(key)' is repeated by record \(item.record) of \(item.file); this record keeps it"))
        }
        return entries
    }

    /// Lists the sites of the sources read that the sources no longer hold (and marks them
    /// with `markMissing`); never deletes them.
    func missing(_ plan: ImportPlan, in batch: SiteImportBatch, identity: inout ImportIdentity) throws {
        var perDataset: [String: Int] = [:]
        for source in plan.sources { perDataset[source.dataset, default: 0] += 1 }
        let read = plan.sources.map {
            SiteImportBatch.ReadSource(dataset: $0.dataset, file: $0.origin.file, layer: $0.origin.layer,
                                       ownsUnknownOrigins: perDataset[$0.dataset] == 1)
        }
        let missing = try batch.missingSites(from: read)
        if options.markMissing {
            try batch.markMissing(missing)
            identity.marked = missing.filter { $0.markedSince == nil }.count
        }
        identity.missing = missing.count
        identity.sites += missing.map {
            ImportIdentity.SiteLine(kind: "missing", site: $0.id.uuidString, name: $0.name, dataset: $0.dataset,
                                    key: $0.sourceKey, file: $0.file, record: nil, changes: nil)
        }
    }
}
