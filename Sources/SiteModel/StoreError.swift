import Geometry

/// Everything that can go wrong in the store, each case naming the file, record and reason.
public enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// `init` was asked to create a store where a file already exists.
    case alreadyExists(path: String)
    /// The file to open does not exist.
    case notFound(path: String)
    /// The file is not a GeoPackage (not SQLite, or no GPKG application id / core tables).
    case notGeoPackage(path: String, reason: String)
    /// The store was written by a newer GraveAtlas whose schema this version does not know.
    case newerSchema(path: String, found: Int, supported: Int)
    /// A store opened read-only has an older schema, which only a write can migrate.
    case olderSchema(path: String, found: Int, current: Int)
    /// A write was asked of a store opened read-only.
    case readOnly(path: String)
    /// A value outside an enumeration (`field` names the column, `value` what was given).
    case invalidValue(field: String, value: String, allowed: [String])
    /// A date that cannot be read (`text` is the input as given).
    case invalidDate(text: String, reason: String)
    /// A record that breaks a rule of the model (e.g. victims_min > victims_max).
    case invalidRecord(id: String, reason: String)
    /// No site, source or event with this id.
    case noSuchRecord(kind: String, id: String)
    /// A stored geometry blob that is not GeoPackageBinary.
    case invalidGeometryBlob(fid: Int64?, reason: String)
    /// A geometry problem while reading or measuring.
    case geometry(GeometryError)
    /// SQLite failed; `message` is SQLite's own, `sql` the statement.
    case database(path: String, message: String, sql: String?)

    public var description: String {
        switch self {
        case let .alreadyExists(path):
            return "\(path): a file already exists there (use --force to replace it)"
        case let .notFound(path):
            return "\(path): no such store"
        case let .notGeoPackage(path, reason):
            return "\(path): not a GraveAtlas GeoPackage store: \(reason)"
        case let .newerSchema(path, found, supported):
            return "\(path): store schema version \(found) is newer than this graveatlas supports (\(supported)); upgrade graveatlas"
        case let .olderSchema(path, found, current):
            return "\(path): store schema version \(found) is older than this graveatlas reads (\(current)); "
                + "upgrade it once with 'graveatlas upgrade \(path)' (or any import), then run this again"
        case let .readOnly(path):
            return "\(path): the store was opened read-only"
        case let .invalidValue(field, value, allowed):
            return "\(field): '\(value)' is not one of \(allowed.joined(separator: ", "))"
        case let .invalidDate(text, reason):
            return "date '\(text)': \(reason)"
        case let .invalidRecord(id, reason):
            return "record \(id): \(reason)"
        case let .noSuchRecord(kind, id):
            return "no \(kind) with id \(id)"
        case let .invalidGeometryBlob(fid, reason):
            return "geometry\(fid.map { " of feature \($0)" } ?? ""): \(reason)"
        case let .geometry(error):
            return error.description
        case let .database(path, message, sql):
            return "\(path): \(message)\(sql.map { " (in: \($0))" } ?? "")"
        }
    }
}
