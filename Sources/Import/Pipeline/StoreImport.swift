import Foundation
import Geometry
import Store

/// `graveatlas import` as a library call: every file read, every site written to the store
/// in one transaction, sites identified by dataset and source key.
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
/// name are reported as candidate duplicates, never merged.
public struct StoreImport {
    public let store: SiteStore
    public let options: ImportOptions
    public var duplicateMetres = 25.0

    public init(store: SiteStore, options: ImportOptions) {
        self.store = store
        self.options = options
    }

    /// - Throws: `ImportError` for bad input, `StoreError` for the store's failures and for
    ///   sites its model refuses (reported with their file and record).
    public func run(files: [URL], dryRun: Bool = false, progress: ((Int, Int?) -> Void)? = nil) throws -> ImportReport {
        let label = files.map(\.lastPathComponent).joined(separator: ", ")
        let outcome = try store.importBatch(label: label, dryRun: dryRun) { batch -> ImportReport in
            var remarks: [ImportReport.Entry] = []
            var duplicates: [String] = []
            var report = try Importer(options: options).run(files: files, progress: progress) { draft in
                let (site, siteRemarks) = try draft.site()
                remarks += siteRemarks.map {
                    ImportReport.Entry(file: draft.sourceFile, record: draft.recordNumber, kind: "remark", detail: $0)
                }
                let result: ImportOutcome
                do {
                    result = try batch.upsert(site)
                } catch let error as StoreError {
                    guard case .invalidRecord = error else { throw error }
                    throw ImportError.recordRejected(file: draft.sourceFile, record: draft.recordNumber, reason: "\(error)")
                }
                if result == .inserted, let text = try duplicate(of: site, in: batch, draft: draft) {
                    duplicates.append(text)
                }
            }
            report.entries += remarks
            report.duplicateCandidates = duplicates
            return report
        }
        var report = outcome.result
        report.inserted = outcome.inserted
        report.updated = outcome.updated
        report.unchanged = outcome.unchanged
        report.dryRun = dryRun
        return report
    }

    /// A line describing a site of another dataset within `duplicateMetres` with a similar
    /// name, if there is one.
    func duplicate(of site: Site, in batch: SiteImportBatch, draft: SiteDraft) throws -> String? {
        // About 25 m at the equator, more than enough everywhere for a coarse box filter.
        let degrees = duplicateMetres / 111_000 / max(0.05, cos((site.geometry.boundingBox?.minY ?? 0) * .pi / 180))
        for other in try batch.neighbours(of: site.geometry, degrees: degrees, excludingDataset: site.dataset) {
            guard NameSimilarity.similar(site.name, other.name) else { continue }
            let metres = try Geodesic.wgs84.distance(between: site.geometry, and: other.geometry)
            if metres <= duplicateMetres {
                return "\(draft.sourceFile) record \(draft.recordNumber) '\(site.name)' is \(Int(metres.rounded())) m from "
                    + "'\(other.name)' of dataset \(other.dataset ?? "none") (site \(other.id.uuidString))"
            }
        }
        return nil
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
