import Foundation
import GRDB
import GRDBSQLite

/// The SQL functions the GeoPackage R*Tree triggers call: `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`,
/// `ST_MinY`, `ST_MaxY`, registered on every connection the store opens.
///
/// ```sql
/// SELECT ST_MinX(geom), ST_IsEmpty(geom) FROM sites;
/// ```
/// Each reads the GeoPackageBinary header (falling back to the WKB when a blob has no
/// envelope). NULL in gives NULL out; a blob that is not GeoPackageBinary is an SQL error,
/// so that a bad geometry can never slip into the index.
///
/// The triggers call five of these for every row written, so they are plain C callbacks
/// reading the blob where SQLite holds it (no copy, no boxing of arguments).
/// - Complexity: O(1) per call for blobs with an envelope.
enum GeoPackageFunctions {
    /// What a function returns; its raw value is the callback's user data.
    enum Result: Int, CaseIterable {
        case isEmpty = 1, minX, maxX, minY, maxY

        var name: String {
            switch self {
            case .isEmpty: "ST_IsEmpty"
            case .minX: "ST_MinX"
            case .maxX: "ST_MaxX"
            case .minY: "ST_MinY"
            case .maxY: "ST_MaxY"
            }
        }
    }

    /// Adds every function to `db`.
    static func register(in db: Database) {
        for result in Result.allCases {
            // Fails only when SQLite is out of memory; the triggers then report the function
            // as missing, which stops the write.
            _ = sqlite3_create_function_v2(
                db.sqliteConnection, result.name, 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                UnsafeMutableRawPointer(bitPattern: result.rawValue), evaluate, nil, nil, nil)
        }
    }
}

/// The one callback behind every function: which one is in the context's user data.
private func evaluate(_ context: OpaquePointer?, _ count: Int32, _ values: UnsafeMutablePointer<OpaquePointer?>?) {
    guard count == 1, let value = values?[0], sqlite3_value_type(value) == SQLITE_BLOB,
          let which = GeoPackageFunctions.Result(rawValue: Int(bitPattern: sqlite3_user_data(context)))
    else {
        sqlite3_result_null(context)
        return
    }
    let bytes = UnsafeRawBufferPointer(start: sqlite3_value_blob(value), count: Int(sqlite3_value_bytes(value)))
    let header: GeoPackageHeader
    do {
        header = try GeoPackageHeader(blob: bytes)
    } catch {
        sqlite3_result_error(context, "\(which.name): \(error)", -1)
        return
    }
    guard which != .isEmpty else {
        sqlite3_result_int(context, header.isEmpty ? 1 : 0)
        return
    }
    guard let box = header.envelope else {
        sqlite3_result_null(context)
        return
    }
    switch which {
    case .minX: sqlite3_result_double(context, box.minX)
    case .maxX: sqlite3_result_double(context, box.maxX)
    case .minY: sqlite3_result_double(context, box.minY)
    case .maxY: sqlite3_result_double(context, box.maxY)
    case .isEmpty: break
    }
}
