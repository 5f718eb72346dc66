import Foundation
import Geometry
import Store

/// Reads every file of an import and hands each site it makes to a sink (the store's
/// transaction, or a collector in a dry run), returning the report.
///
/// ```swift
/// let report = try Importer(options: options).run(files: urls) { draft in
///     try batch.add(draft)
/// }
/// ```
/// All files are opened, and the mapping is checked against every file whose fields are
/// known up front, before the first site reaches the sink; a mapped field that never
/// appears in a GeoJSON or KML file fails the import at the end (the caller's transaction
/// makes that harmless). Per-record problems are skipped and reported, or thrown as
/// `ImportError.recordRejected` with `strict`; so are values that could not fill their site
/// field as written (`ValueRemark`: rejected, replaced by a default, or ambiguous). Reading is streamed: memory does not grow
/// with the files.
public struct Importer: Sendable {
    public let options: ImportOptions

    public init(options: ImportOptions) { self.options = options }

    /// - Parameters:
    ///   - progress: called after each record with the records done so far and the total
    ///     when every file says it up front.
    ///   - sink: receives each site; an error it throws ends the import.
    public func run(files: [URL], progress: ((Int, Int?) -> Void)? = nil,
                    sink: (SiteDraft) throws -> Void) throws -> ImportReport {
        try run(plan(files: files), progress: progress) { draft, _ in try sink(draft) }
    }

    /// Opens every file and checks what can be checked before the first record: the mapping
    /// and key field against each file's fields, and that no two sources of different files
    /// take the same dataset name from their file names (`ImportError.datasetTaken`).
    public func plan(files: [URL]) throws -> ImportPlan {
        let opening = OpeningOptions(encoding: options.encoding, layer: options.layer)
        let opened = try files.map { try OpenedFile($0, options: opening) }
        let pairs = opened.flatMap { file in file.sources.map { (file, $0) } }
        if let mapping = options.mapping {
            for (_, source) in pairs {
                if let fields = source.fieldNames { try mapping.validate(sourceFields: fields, file: source.displayName) }
            }
        }
        if let key = options.mapping?.key ?? options.key {
            for (_, source) in pairs {
                if let fields = source.fieldNames, !fields.contains(key) {
                    throw ImportError.invalidMapping(
                        file: options.mapping?.file ?? "--key",
                        reason: "key field '\(key)' is not in \(source.displayName) (fields: \(fields.joined(separator: ", ")))")
                }
            }
        }
        let sources = pairs.map { file, source in
            ImportPlan.Source(file: file, reader: source, dataset: datasetName(file: file, source: source),
                              datasetIsImplicit: options.mapping?.dataset == nil && options.dataset == nil,
                              origin: SiteOrigin(file: file.url, layer: source.layerName, record: 0))
        }
        var claimed: [String: ImportPlan.Source] = [:]
        for source in sources where source.datasetIsImplicit {
            if let other = claimed[source.dataset], other.origin != source.origin {
                throw ImportError.datasetTaken(dataset: source.dataset, file: source.reader.displayName,
                                               holder: other.reader.displayName)
            }
            claimed[source.dataset] = source
        }
        return ImportPlan(opened: opened, sources: sources)
    }

    /// Reads the sources of `plan` in order; `sink` gets each site and the index of its source.
    public func run(_ plan: ImportPlan, progress: ((Int, Int?) -> Void)? = nil,
                    sink: (SiteDraft, Int) throws -> Void) throws -> ImportReport {
        let calendar = try declaredCalendar()
        let total: Int? = plan.sources.allSatisfy({ $0.reader.expectedCount != nil })
            ? plan.sources.reduce(0) { $0 + ($1.reader.expectedCount ?? 0) } : nil
        var report = ImportReport()
        var done = 0
        for (index, source) in plan.sources.enumerated() {
            var summary = try readSource(source.reader, dataset: source.dataset, calendar: calendar, report: &report,
                                         done: &done, total: total, progress: progress, sink: { try sink($0, index) })
            summary.notes = source.reader.fileNotes + summary.notes
            if report.files.isEmpty, let mapping = options.mapping { summary.notes += mapping.exactOnlyNotes }
            report.files.append(summary)
        }
        return report
    }

    /// The dataset a file's sites belong to: the mapping's, else `--dataset`, else the file
    /// name (with the layer for files that hold several).
    func datasetName(file: OpenedFile, source: FeatureSource) -> String {
        if let name = options.mapping?.dataset ?? options.dataset { return name }
        let base = file.url.deletingPathExtension().lastPathComponent
        return file.sources.count > 1 ? "\(base)/\(source.layerName)" : base
    }

    private func readSource(_ source: FeatureSource, dataset: String, calendar: PartialDate.Calendar?,
                            report: inout ImportReport, done: inout Int,
                            total: Int?, progress: ((Int, Int?) -> Void)?,
                            sink: (SiteDraft) throws -> Void) throws -> ImportReport.FileSummary {
        let name = source.displayName
        // Made at the first record: a GeoJSON file's legacy "crs" is known only once reading starts.
        var preparation: GeometryPreparation?
        var assembly = SiteAssembly(mapping: options.mapping, dataset: dataset,
                                    keyField: options.mapping?.key ?? options.key, sourceFields: source.fieldNames)
        assembly.numberConvention = (source as? NumberConventionSource)?.numberConvention ?? .unknown
        assembly.calendar = calendar
        var summary = ImportReport.FileSummary(
            file: name, layer: source.layerName, dataset: dataset,
            crs: nil,
            encoding: source.encoding?.description)
        let fieldsKnownUpFront = source.fieldNames != nil
        var seenFields = Set<String>()
        var reencodedFields = Set<String>()
        func entry(_ record: Int, _ kind: String, _ detail: String) {
            report.entries.append(ImportReport.Entry(file: name, record: record, kind: kind, detail: detail))
        }
        func reject(_ record: Int, _ reason: String) throws {
            if options.strict { throw ImportError.recordRejected(file: name, record: record, reason: reason) }
            summary.skipped += 1
            entry(record, "skipped", reason)
        }
        while let record = try source.next() {
            summary.read += 1
            done += 1
            progress?(done, total)
            if !fieldsKnownUpFront { seenFields.formUnion(record.attributes.map(\.key)) }
            let reencoded = record.notes.compactMap { note -> String? in
                if case let .reencoded(field, _) = note { return field }
                return nil
            }
            if !reencoded.isEmpty {
                summary.reencoded += 1
                reencodedFields.formUnion(reencoded)
                entry(record.recordNumber, "reencoded", "not UTF-8, decoded as windows-1252: " + reencoded.joined(separator: ", "))
            }
            for case let .remark(text) in record.notes { entry(record.recordNumber, "remark", text) }
            for note in record.notes where note.kind == "misaligned" {
                if options.strict { throw ImportError.recordRejected(file: name, record: record.recordNumber, reason: note.description) }
                entry(record.recordNumber, note.kind, note.description)
            }
            if let skip = record.notes.first(where: \.isSkip), case let .skipped(reason) = skip {
                try reject(record.recordNumber, reason)
                continue
            }
            guard let geometry = record.geometry else {
                try reject(record.recordNumber, "no geometry")
                continue
            }
            if preparation == nil {
                let made = try GeometryPreparation(crs: source.crsDefinition, override: options.crs, file: name)
                summary.crs = made.source?.label ?? "none given: longitude/latitude"
                preparation = made
            }
            guard let preparation else { continue }
            switch try preparation.prepare(geometry, record: record.recordNumber) {
            case let .rejected(reason):
                try reject(record.recordNumber, reason)
            case let .site(prepared, notes):
                for case let .repaired(reason) in notes {
                    summary.repaired += 1
                    entry(record.recordNumber, "repaired", "invalid polygon repaired with make-valid: \(reason)")
                }
                let (draft, remarks) = assembly.draft(record, geometry: prepared, file: name)
                for remark in remarks { entry(record.recordNumber, "remark", remark) }
                for rejection in assembly.rejections {
                    if options.strict {
                        throw ImportError.recordRejected(file: name, record: record.recordNumber, reason: rejection.problem)
                    }
                    entry(record.recordNumber, rejection.kind.rawValue, rejection.detail)
                }
                for problem in assembly.eventProblems {
                    if options.strict { throw ImportError.recordRejected(file: name, record: record.recordNumber, reason: problem) }
                    entry(record.recordNumber, ValueRemark.Kind.rejected.rawValue, problem + ": no event recorded")
                }
                if let field = assembly.identifyingField, draft.sourceKey == nil {
                    let reason = "no key: \(field) is empty"
                    if options.strict { throw ImportError.recordRejected(file: name, record: record.recordNumber, reason: reason) }
                    entry(record.recordNumber, ImportReport.Kind.noKey,
                          reason + "; stored as a site without a key, matched again only by its content")
                }
                try sink(draft)
                summary.imported += 1
            }
        }
        if !reencodedFields.isEmpty {
            summary.notes.append("no encoding declared and not UTF-8: decoded as windows-1252 in fields "
                + reencodedFields.sorted().joined(separator: ", ") + " (give --encoding if that is wrong)")
        }
        if !fieldsKnownUpFront, summary.read > 0, let mapping = options.mapping {
            try mapping.validate(sourceFields: Array(seenFields).sorted(), file: name)
        }
        return summary
    }
}
