import Export
import Foundation
import Store

/// What every export command does around its format: check the output, open the store, run
/// the export over the store's listing, report.
enum ExportRun {
    /// Runs a layer export (GeoJSON, CSV, KML, GeoPackage, tiles) over every site of the store:
    /// the columns are discovered for the audience first, so that a filter on a field the
    /// audience does not see is refused before anything is written, and rows stream. The grid
    /// is the store's (or `cellSize` when it is a whole multiple of the store's cell; anything
    /// finer is refused); sites come in `PublishedOrder` at public and partner. Generalised
    /// sites that an exactly shown site gives away (within 50 m) are named on stderr, for the
    /// person running the export only.
    static func layer(_ job: LayerExport, store storeName: String, cellSize: Double?, copyOf database: String? = nil) throws {
        try checkOutput(job.output, store: storeName, folder: job.writesFolder)
        let store = try exportSource(storeName, copyOf: database)
        defer { store.close() }
        var job = job
        job.policy = try SafeguardingPolicy(audience: job.policy.audience, storeGrid: try store.grid(), cellSize: cellSize,
                                            generalisedFields: job.policy.generalisedFields)
        let view = job.policy.view
        let columns = try store.columns(view: view)
        try job.filter.validate(against: columns)
        var exposure = ExposureCheck(generalises: !view.sensitivities(.generalised).isEmpty)
        // The manifest names the audit chain's head: the state of the store the export was made from.
        let head = try StoreFailure.run { try store.auditHead() }
        job.auditHead = head
        let report = try job.run(columns: columns, store: try store.identity()) { emit in
            try store.forEachPublishedSite(view: view) { listed in
                let row = SiteRow(listed, view: view)
                exposure.note(row)
                try emit(row)
            }
        }
        if let after = try? store.auditHead(), after != head {
            // A write committed while the export was read: its manifest names the state it began from.
            FileHandle.standardError.write(Data(("warning: the store changed during the export; its manifest's audit_head "
                + "\(head ?? "(none)") is the state it began from, and the export may hold later changes\n").utf8))
        }
        let exposures = exposure.exposures()
        warn(exposures, audience: job.policy.audience)
        summarise(report, output: job.output, audience: job.policy.audience,
                  exposed: Set(exposures.map(\.protectedID)).count)
    }

    /// Refuses an output that is the store itself, lies in a folder that does not exist, or is
    /// a folder the format does not write into (`folder`: `LayerExport.writesFolder`, tiles in a
    /// folder) or that holds files other than a previous tile export's, which the new export
    /// would replace.
    static func checkOutput(_ output: String, store: String, folder: Bool) throws {
        if output == "-" {
            throw InputError("-o -: an export writes a file and its manifest beside it, not standard output; "
                + "give a file name (`graveatlas query … --format F` writes to standard output)")
        }
        let out = URL(fileURLWithPath: output).standardizedFileURL.resolvingSymlinksInPath()
        let storeURL = URL(fileURLWithPath: store).standardizedFileURL.resolvingSymlinksInPath()
        let files = FileManager.default
        if out.path == storeURL.path || ["-wal", "-shm", "-journal"].contains(where: { out.path == storeURL.path + $0 }) {
            throw InputError("\(output): the output would overwrite the store")
        }
        let parent = out.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard files.fileExists(atPath: parent, isDirectory: &isFolder), isFolder.boolValue else {
            throw InputError("\(output): the folder \(parent) does not exist")
        }
        if files.fileExists(atPath: out.path, isDirectory: &isFolder), isFolder.boolValue {
            let inside = (try? files.contentsOfDirectory(atPath: out.path)) ?? []
            guard folder, inside.isEmpty || TileFolderWriter.isTileExport(out.path) else {
                throw InputError("\(output): is a folder that is not empty; give a new or empty folder")
            }
        }
    }

    /// One line on stdout saying what was written (every count: the person running the export
    /// may know them, whatever the manifest says).
    static func summarise(_ report: LayerExport.Report, output: String, audience: Audience, exposed: Int = 0) {
        let c = report.counts
        let line = "wrote \(report.features) features to \(output) for the \(audience) audience "
            + "(\(c["exact"] ?? 0) exact, \(c["generalised"] ?? 0) generalised; \(c["withheld"] ?? 0) withheld, "
            + "\(c["filtered_out"] ?? 0) filtered out\(report.tiles.map { "; \($0.tileCount) tiles" } ?? "")"
            + (exposed > 0 ? "; \(exposed) generalised sites lie within 50 m of a site shown exactly, see stderr" : "")
            + "); manifest \(report.manifestPath)" + (report.signaturePath.map { ", signed in \($0)" } ?? "") + "\n"
        FileHandle.standardOutput.write(Data(line.utf8))
    }

    /// One line on stderr per generalised site lying within 50 m of a site shown exactly, so
    /// that a person can decide (mark the exact site restricted too, or accept it).
    static func warn(_ exposures: [ExposureCheck.Exposure], audience: Audience) {
        guard !exposures.isEmpty else { return }
        var text = ""
        for e in exposures {
            text += "warning: \(e.sensitivity) site \(e.protectedID.text) is generalised for the \(audience) audience "
                + "but lies \(String(format: "%.1f", e.distanceM)) m from site \(e.exactID.text), shown exactly: "
                + "its place is given away\n"
        }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
