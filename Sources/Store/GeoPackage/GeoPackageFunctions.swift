import Foundation
import GRDB

/// The SQL functions the GeoPackage R*Tree triggers call: `ST_IsEmpty`, `ST_MinX`, `ST_MaxX`,
/// `ST_MinY`, `ST_MaxY`, registered on every connection the store opens.
///
/// ```sql
/// SELECT ST_MinX(geom), ST_IsEmpty(geom) FROM sites;
/// ```
/// Each reads the GeoPackageBinary header (falling back to the WKB when a blob has no
/// envelope). NULL in gives NULL out; a blob that is not GeoPackageBinary is an SQL error,
/// so that a bad geometry can never slip into the index.
/// - Complexity: O(1) per call for blobs with an envelope.
enum GeoPackageFunctions {
    static let all: [DatabaseFunction] = [
        DatabaseFunction("ST_IsEmpty", argumentCount: 1, pure: true) { args in
            try header(args[0]).map { $0.isEmpty ? 1 : 0 }
        },
        DatabaseFunction("ST_MinX", argumentCount: 1, pure: true) { args in
            try header(args[0])?.envelope?.minX
        },
        DatabaseFunction("ST_MaxX", argumentCount: 1, pure: true) { args in
            try header(args[0])?.envelope?.maxX
        },
        DatabaseFunction("ST_MinY", argumentCount: 1, pure: true) { args in
            try header(args[0])?.envelope?.minY
        },
        DatabaseFunction("ST_MaxY", argumentCount: 1, pure: true) { args in
            try header(args[0])?.envelope?.maxY
        },
    ]

    /// Adds every function to `db`.
    static func register(in db: Database) {
        for function in all { db.add(function: function) }
    }

    private static func header(_ value: DatabaseValue) throws -> GeoPackageHeader? {
        guard case let .blob(data) = value.storage else { return nil }
        return try data.withUnsafeBytes { try GeoPackageHeader(blob: $0) }
    }
}
