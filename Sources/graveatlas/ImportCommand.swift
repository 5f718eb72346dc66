import ArgumentParser
import Foundation
import Import
import PostGIS
import Store

/// `graveatlas import STORE FILE... [options]`: reads shapefiles, GeoJSON, CSV, GeoPackage
/// and KML into the store in one transaction.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import sites from shapefiles (also zipped), GeoJSON, CSV/TSV, GeoPackage and KML/KMZ.",
        discussion: """
            All files are one transaction: a fatal error leaves the store as it was. Records that cannot \
            be sites are skipped with a reason (fatal with --strict). Importing a dataset again updates \
            its sites by key (--key, the mapping's key, or an id column), never by record number: records \
            without a key match a stored site only by identical geometry and attributes. A dataset name \
            taken from a file name that another file already fills is refused (give --dataset). Every \
            update is audited with what it replaced; sites the source no longer holds are reported, \
            never deleted. Into a postgresql:// store, the import runs on a private copy of the \
            database and writes what it changed in one transaction, unless another writer changed \
            one of those sites meanwhile: then nothing is written, and it says which site.
            """)

    @OptionGroup var storeOptions: EngineStoreOptions

    @Argument(help: "The files to import.")
    var files: [String]

    @Option(help: "The coordinate reference system of the files (e.g. EPSG:32639), overriding what they declare.")
    var crs: String?

    @Option(help: "The text encoding of shapefile attributes and CSV files (e.g. windows-1256, cp936, iso-8859-1).")
    var encoding: String?

    @Option(help: "A YAML or JSON mapping file from source fields to site fields.")
    var mapping: String?

    @Option(help: "The dataset name (else the mapping's, else each file's name); names an existing dataset to update it from another file.")
    var dataset: String?

    @Option(help: "The source field that identifies a record (else the mapping's key, else an id column; without one, records match only by content).")
    var key: String?

    @Option(help: "The only GeoPackage layer to read (else every feature layer).")
    var layer: String?

    @Option(help: "The calendar of dates that do not say theirs (else the mapping's, else gregorian).")
    var calendar: PartialDate.Calendar?

    @Flag(help: "Fail on any record that would be skipped, any CSV row with more or fewer fields than its header, any value rejected, replaced by a default or ambiguous, and any empty or repeated key.")
    var strict = false

    @Flag(help: "Do everything but commit, and list what would be inserted, updated, unchanged and missing.")
    var dryRun = false

    @Flag(help: "Mark the sites that a re-imported source no longer holds (missing_from_source); they are kept either way.")
    var markMissing = false

    @Option(name: .customLong("as-of"), help: ArgumentHelp(
        "The date a re-import's changes of condition or status are recorded at, as dated events (else today, UTC).",
        discussion: "The date the source describes, e.g. the report the file comes from: 2024-05, 1403-02-13 SH, 2003/2017.",
        valueName: "date"))
    var asOf: String?

    @Option(help: "Write the full report as JSON to this file.")
    var report: String?

    @Option(help: "Who the import's audit entry names (else the user name).")
    var by: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file to import") }
    }

    func run() throws {
        var options = ImportOptions()
        options.crs = crs
        options.encoding = encoding
        options.layer = layer
        options.dataset = dataset
        options.key = key
        options.strict = strict
        options.markMissing = markMissing
        options.by = by
        options.calendar = calendar
        if let asOf {
            let date: PartialDate
            do { date = try PartialDate(parsing: asOf, calendar: calendar) } catch {
                throw InputError("--as-of \(asOf): \(error)")
            }
            if date.isAfter(PartialDate.today()) { throw InputError("--as-of \(asOf) is in the future") }
            options.asOf = date
        }
        if let mapping { options.mapping = try ImportMapping.load(URL(fileURLWithPath: mapping)) }
        let result: ImportReport
        if let db = try Blocking.wait({ try await storeOptions.postGIS() }) {
            result = try importInto(db, options: options)
        } else {
            let store = try storeOptions.open(.readWrite)
            defer { try? store.close() }
            result = try run(store, options: options)
        }
        FileHandle.standardError.write(Data((result.summary + "\n").utf8))
        if let report {
            do {
                try Data((try result.json() + "\n").utf8).write(to: URL(fileURLWithPath: report))
            } catch {
                throw InputError("\(report): cannot write the report: \(error.localizedDescription)")
            }
        }
    }

    /// The import into `store`, with its progress on stderr.
    private func run(_ store: SiteStore, options: ImportOptions) throws -> ImportReport {
        let progress = ImportProgress()
        let result = try StoreImport(store: store, options: options).run(
            files: files.map { URL(fileURLWithPath: $0) }, dryRun: dryRun,
            progress: { progress.update(done: $0, total: $1) })
        progress.finish()
        return result
    }

    /// The import into a database: made on a private copy of it read from one snapshot (so
    /// its matching, report and audit entries are the file's), then what it changed is
    /// written to the database in one transaction (`PrivateFolder.write(into:…)`), refused when
    /// another writer changed the same sites meanwhile. A dry run writes nothing.
    private func importInto(_ db: PostGISStore, options: ImportOptions) throws -> ImportReport {
        try PrivateFolder.write(into: db, label: "import", purpose: "import into it", write: !dryRun) { store in
            try run(store, options: options)
        }
    }
}
