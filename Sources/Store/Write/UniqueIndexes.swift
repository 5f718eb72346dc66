import Foundation
import GRDB

/// The unique indexes of `sites` (`StoreSchema.uniqueIndexes`) set aside for a batch at least
/// as large as the table, and made again with `CREATE UNIQUE INDEX` at its end.
///
/// ```swift
/// var unique = try UniqueIndexes(db, expectedRows: sites.count)   // inside the batch's transaction
/// … insert rows …
/// try unique.restore(db)        // CREATE UNIQUE INDEX, or the first site that repeats a key
/// ```
/// Rows then go in without a search in two b-trees each, and SQLite builds each index once
/// from the finished table with its sorter, as GDAL's GeoPackage driver does after a bulk
/// load. Both the `DROP INDEX` and the `CREATE UNIQUE INDEX` are plain SQL inside the batch's
/// transaction: no other connection sees the table without its indexes, and a failed batch
/// rolls them back with its rows.
///
/// With the indexes gone nothing stops a repeated id or source key until they are made
/// again; then `CREATE UNIQUE INDEX` fails, the first site (in the batch's order) that repeats
/// one is found and named, and the batch fails as it would have at that site's insert.
/// Foreign keys must be off for the batch (`SiteStore.writeWithoutForeignKeys`): SQLite
/// refuses writes to a parent table whose key has no unique index.
struct UniqueIndexes {
    /// Batches smaller than this keep the indexes.
    static let minimumRows = 1_000
    let setAside: Bool

    init(_ db: Database, expectedRows: Int) throws {
        guard expectedRows >= Self.minimumRows else { setAside = false; return }
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0
        setAside = expectedRows >= stored
        guard setAside else { return }
        for index in StoreSchema.uniqueIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Makes the indexes again, or throws `StoreError.invalidRecord` for the first site that
    /// repeats a key.
    func restore(_ db: Database) throws {
        guard setAside else { return }
        for index in StoreSchema.uniqueIndexes {
            do {
                try db.execute(sql: StoreSchema.createUniqueIndex(index))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                throw try Self.firstRepeat(db, of: index, error)
            }
        }
    }

    /// The error naming the first site (by fid) whose key in `index` an earlier site holds.
    private static func firstRepeat(_ db: Database, of index: (name: String, columns: [String]),
                                    _ error: DatabaseError) throws -> any Error {
        let columns = index.columns.joined(separator: ", ")
        let notNull = index.columns.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
        guard let row = try Row.fetchOne(db, sql: """
            SELECT uuid, dataset, source_key FROM (
              SELECT fid, uuid, dataset, source_key, row_number() OVER (PARTITION BY \(columns) ORDER BY fid) AS k
              FROM sites WHERE \(notNull))
            WHERE k = 2 ORDER BY fid LIMIT 1
            """) else { return error }
        return StoreError.invalidRecord(id: row["uuid"], reason: SiteStore.uniquenessReason(
            error, dataset: row["dataset"], sourceKey: row["source_key"]))
    }
}
