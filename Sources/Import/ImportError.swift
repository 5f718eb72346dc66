/// Everything that can stop an import, each case naming the file, the record and the reason.
///
/// Per-record problems that an import skips (a null shape, a line) are not errors but
/// `RecordNote`s; they become `ImportError.recordRejected` only under `--strict`.
public enum ImportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file does not exist or cannot be opened.
    case unreadable(file: String, reason: String)
    /// The file's format is not one the importer reads.
    case unrecognisedFormat(file: String)
    /// The file ends before its own header or index says it should.
    case truncated(file: String, reason: String)
    /// The file is readable but malformed; `record` is 1-based when known.
    case malformed(file: String, record: Int?, reason: String)
    /// A text encoding that neither the system nor the importer knows.
    case unknownEncoding(name: String, file: String?)
    /// A coordinate reference system that cannot be used.
    case unusableCRS(file: String, reason: String)
    /// Coordinates that cannot be longitude/latitude in a file that does not say its CRS.
    case missingCRS(file: String, record: Int, x: Double, y: Double)
    /// The mapping file is wrong; nothing is written.
    case invalidMapping(file: String, reason: String)
    /// A per-record problem that `--strict` turns into a failure.
    case recordRejected(file: String, record: Int, reason: String)
    /// A layer asked for with `--layer` that the file does not have.
    case unknownLayer(file: String, layer: String, available: [String])
    /// The machine could not hold what reading the file needs (extracting a zip filled the
    /// temporary folder's disk, or it cannot be written): a runtime failure, not bad input.
    case storage(file: String, reason: String)
    /// A dataset name taken from a file's name that another file (`holder`) already fills,
    /// in the store or in the same import; nothing is written.
    case datasetTaken(dataset: String, file: String, holder: String)

    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .unrecognisedFormat(file):
            return "\(file): not a shapefile, GeoJSON, CSV, GeoPackage, KML or zip of them"
        case let .truncated(file, reason):
            return "\(file): truncated: \(reason)"
        case let .malformed(file, record, reason):
            return record.map { "\(file): record \($0): \(reason)" } ?? "\(file): \(reason)"
        case let .unknownEncoding(name, file):
            let prefix = file.map { "\($0): " } ?? ""
            return "\(prefix)unknown text encoding '\(name)' (try windows-1256, cp936, iso-8859-1, utf-8)"
        case let .unusableCRS(file, reason):
            return "\(file): unusable coordinate reference system: \(reason)"
        case let .missingCRS(file, record, x, y):
            return "\(file): record \(record): coordinates (\(x) \(y)) are not longitude/latitude and the file "
                + "does not say its coordinate reference system; give it with --crs (e.g. --crs EPSG:32639)"
        case let .invalidMapping(file, reason):
            return "\(file): invalid mapping: \(reason)"
        case let .recordRejected(file, record, reason):
            return "\(file): record \(record): \(reason)"
        case let .unknownLayer(file, layer, available):
            return "\(file): no feature layer '\(layer)' (layers: \(available.joined(separator: ", ")))"
        case let .storage(file, reason):
            return "\(file): cannot extract: \(reason)"
        case let .datasetTaken(dataset, file, holder):
            return "\(file): dataset '\(dataset)' (taken from the file name) already holds the sites of \(holder), "
                + "another file; give --dataset NAME to import it as a dataset of its own, "
                + "or --dataset \(dataset) if it is the same dataset"
        }
    }
}
