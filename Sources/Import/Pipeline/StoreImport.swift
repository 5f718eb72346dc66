import Foundation
import Geometry
import Store

/// `graveatlas import` as a library call: every file read, every site written to the store
/// in one transaction, a record matched to a stored site only when its identity is certain
/// (its dataset and key, or, without a key, its exact content: see `SiteImportBatch`).
///
/// ```swift
/// let report = try StoreImport(store: store, options: options).run(files: urls, dryRun: false)
/// report.inserted, report.updated, report.unchanged
/// ```
/// A fatal error (unreadable or truncated file, bad mapping, a per-record problem under
/// `strict`) rolls the transaction back: the store is exactly as it was. With `dryRun`
/// everything runs and the transaction is rolled back at the end.
///
/// Sites inserted near (within `duplicateMetres`) a site of another dataset with a similar
/// name are reported as candidate duplicates, never merged. A dataset name taken from a file
/// name that another file fills is refused before anything is written; records with an
/// empty or repeated key are reported (fatal under `strict`); the sites of the sources read
/// that no record matched are reported, and marked with `markMissing` (`ImportIdentity`).
public struct StoreImport {
    public let store: SiteStore
    public let options: ImportOptions
    public var duplicateMetres = 25.0

    public init(store: SiteStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    /// - Throws: `ImportError` for bad input (`datasetTaken` for a dataset name taken from a
    ///   file name that another file fills), `StoreError` for the store's failures and for
    ///   sites its model refuses (reported with their file and record).
    public func run(files: [URL], dryRun: Bool = false, progress: ((Int, Int?) -> Void)? = nil) throws -> ImportReport {
        let label = files.map(\.lastPathComponent).joined(separator: ", ")
        let importer = Importer(options: options)
        let changeDate = try options.asOf ?? PartialDate(parsing: PartialDate.today())
        let outcome = try store.importBatch(label: label, dryRun: dryRun, by: options.by) { batch -> ImportReport in
            let plan = try importer.plan(files: files)
            try claimDatasets(of: plan, in: batch)
            // Two threads: this one writes to the store while another reads, decodes,
            // reprojects, repairs and assembles the next records (handed over in order).
            let handover = Handover<Prepared, ImportReport>(capacity: 512)
            let progress = Unchecked(value: progress)
            let producer = Thread {
                do {
                    let report = try importer.run(plan, progress: progress.value) { draft, source in
                        let (site, remarks) = try draft.site()
                        try handover.put(Prepared(site: site, events: draft.events, file: draft.sourceFile,
                                                  record: draft.recordNumber, source: source, remarks: remarks))
                    }
                    handover.finish(.success(report))
                } catch {
                    handover.finish(.failure(error))
                }
            }
            producer.stackSize = 8 << 20
            producer.start()
            defer {
                handover.cancel()
                handover.waitForProducer()
            }
            var remarks: [ImportReport.Entry] = []
            var identity = ImportIdentity()
            var origins = InsertedOrigins()
            while let item = try handover.take() {
                remarks += item.remarks.map {
                    ImportReport.Entry(file: item.file, record: item.record, kind: "remark", detail: $0)
                }
                var origin = plan.sources[item.source].origin
                origin.record = item.record
                let written: SiteWrite
                do {
                    written = try batch.write(item.site, origin: origin)
                } catch let error as StoreError {
                    guard case .invalidRecord = error else { throw error }
                    throw ImportError.recordRejected(file: item.file, record: item.record, reason: "\(error)")
                }
                try batch.record(item.events, site: written.id)
                if written.outcome == .updated {
                    try batch.record(ChangeEvents.events(for: written.changes, date: changeDate), site: written.id)
                }
                if written.outcome == .inserted, let fid = batch.lastInsertedFid {
                    origins.append(fid: fid, file: item.file, record: item.record)
                }
                if let first = written.repeatedKeyOf {
                    remarks += try repeatedKey(item, first: first, written: written, origins: origins)
                }
                if written.matchedByContent { identity.matchedByContent += 1 }
                if dryRun || written.outcome == .updated {
                    identity.sites.append(ImportIdentity.SiteLine(
                        kind: written.outcome.rawValue, site: written.id.uuidString, name: item.site.name,
                        dataset: item.site.dataset, key: item.site.sourceKey, file: item.file, record: item.record,
                        changes: written.outcome == .updated ? written.changes : nil))
                }
            }
            var report = handover.result ?? ImportReport()
            report.entries += remarks
            report.duplicateCandidates = try duplicates(in: batch, origins: origins)
            try missing(plan, in: batch, identity: &identity)
            report.identity = identity
            report.eventsAdded = batch.eventsAdded
            report.eventsUpdated = batch.eventsUpdated
            report.sourcesAdded = batch.sourcesAdded
            return report
        }
        var report = outcome.result
        report.inserted = outcome.inserted
        report.updated = outcome.updated
        report.unchanged = outcome.unchanged
        report.dryRun = dryRun
        return report
    }

    /// A line for each inserted site that lies within `duplicateMetres` of a site of another
    /// dataset (stored before it) with a similar name: the first such site, in insertion order.
    func duplicates(in batch: SiteImportBatch, origins: InsertedOrigins) throws -> [String] {
        let pairs = try batch.insertedSitesNearOtherDatasets(metres: duplicateMetres)
        var lines: [String] = []
        var start = 0
        while start < pairs.count {
            var end = start
            while end < pairs.count, pairs[end].site == pairs[start].site { end += 1 }
            let group = pairs[start..<end]
            start = end
            let fid = group.first!.site  // a group is never empty
            let sites = try batch.sites([fid] + group.map(\.other))
            guard let site = sites[fid], let origin = origins[fid] else { continue }
            for pair in group {
                guard let other = sites[pair.other], NameSimilarity.similar(site.name, other.name) else { continue }
                let metres = try Geodesic.wgs84.distance(between: site.geometry, and: other.geometry)
                if metres <= duplicateMetres {
                    lines.append("\(origin.file) record \(origin.record) '\(site.name)' is \(Int(metres.rounded())) m from "
                        + "'\(other.name)' of dataset \(other.dataset ?? "none") (site \(other.id.uuidString))")
                    break
                }
            }
        }
        return lines
    }
}

/// A record ready to be written: its site, where it came from and the remarks made on it.
struct Prepared: Sendable {
    var site: Site
    /// The dated events the mapping made of the record, for its site.
    var events: [ImportedEvent]
    var file: String
    var record: Int
    /// The index of its source in the import's plan.
    var source: Int
    var remarks: [String]
}

/// Carries a value the compiler cannot prove safe across threads to the one thread that uses
/// it next (the progress callback, called only by the reading thread).
struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
}

/// Where each inserted site came from (file and record), by fid, kept as runs: the fids of
/// one batch only grow and mostly follow the records of a file one by one, so a million
/// sites take a handful of runs, found by binary search.
struct InsertedOrigins {
    private struct Run {
        var fid: Int64
        var record: Int
        var count: Int
        var file: Int
    }

    private var runs: [Run] = []
    private var files: [String] = []

    mutating func append(fid: Int64, file: String, record: Int) {
        if let last = runs.last, files[last.file] == file,
           fid == last.fid + Int64(last.count), record == last.record + last.count {
            runs[runs.count - 1].count += 1
            return
        }
        if files.last != file { files.append(file) }
        runs.append(Run(fid: fid, record: record, count: 1, file: files.count - 1))
    }

    subscript(fid: Int64) -> (file: String, record: Int)? {
        // The last run starting at or before `fid`.
        var low = 0, high = runs.count
        while low < high {
            let mid = (low + high) / 2
            if runs[mid].fid <= fid { low = mid + 1 } else { high = mid }
        }
        guard low > 0 else { return nil }
        let run = runs[low - 1]
        let offset = Int(fid - run.fid)
        guard offset < run.count else { return nil }
        return (files[run.file], run.record + offset)
    }
}

/// Whether two names plausibly name the same place: equal or one containing the other after
/// folding case, diacritics, punctuation and spaces.
enum NameSimilarity {
    static func similar(_ a: String, _ b: String) -> Bool {
        let x = fold(a), y = fold(b)
        guard !x.isEmpty, !y.isEmpty else { return false }
        return x == y || x.contains(y) || y.contains(x)
    }

    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }
            .map(String.init).joined()
    }
}
