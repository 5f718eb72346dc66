import ArgumentParser
import Foundation
import Import
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
            its sites (identity: dataset + key) instead of duplicating them.
            """)

    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The files to import.")
    var files: [String]

    @Option(help: "The coordinate reference system of the files (e.g. EPSG:32639), overriding what they declare.")
    var crs: String?

    @Option(help: "The text encoding of shapefile attributes and CSV files (e.g. windows-1256, cp936, iso-8859-1).")
    var encoding: String?

    @Option(help: "A YAML or JSON mapping file from source fields to site fields.")
    var mapping: String?

    @Option(help: "The dataset name (else the mapping's, else each file's name).")
    var dataset: String?

    @Option(help: "The source field that identifies a record (else the record number).")
    var key: String?

    @Option(help: "The only GeoPackage layer to read (else every feature layer).")
    var layer: String?

    @Option(help: "The calendar of dates that do not say theirs (else the mapping's, else gregorian).")
    var calendar: PartialDate.Calendar?

    @Flag(help: "Fail on any record that would be skipped and any value rejected, replaced by a default or ambiguous.")
    var strict = false

    @Flag(help: "Do everything but commit.")
    var dryRun = false

    @Option(help: "Write the full report as JSON to this file.")
    var report: String?

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
        options.calendar = calendar
        let store = try storeOptions.open(.readWrite)
        defer { try? store.close() }
        let progress = ImportProgress()
        let result = try ImportFailure.run {
            if let mapping { options.mapping = try ImportMapping.load(URL(fileURLWithPath: mapping)) }
            return try StoreImport(store: store, options: options).run(
                files: files.map { URL(fileURLWithPath: $0) }, dryRun: dryRun,
                progress: { progress.update(done: $0, total: $1) })
        }
        progress.finish()
        FileHandle.standardError.write(Data((result.summary + "\n").utf8))
        if let report {
            do {
                try Data((try result.json() + "\n").utf8).write(to: URL(fileURLWithPath: report))
            } catch {
                throw InputError("\(report): cannot write the report: \(error.localizedDescription)")
            }
        }
    }
}

/// Sorts import errors for the command line's contract: bad input (an unreadable, truncated
/// or malformed file, a bad mapping, a rejected record) is exit 2; store failures keep
/// `StoreFailure`'s sorting.
enum ImportFailure {
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try StoreFailure.run(body)
        } catch let error as ImportError {
            throw InputError(error.description)
        }
    }
}
