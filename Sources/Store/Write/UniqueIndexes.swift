import Foundation
import GRDB

/// The unique indexes of `sites` (`StoreSchema.uniqueIndexes`) set aside for a batch at least
/// as large as the table: its rows then go in without a search in two b-trees each — with
/// random uuids, at a random place once the index outgrows the page cache — and the indexes
/// are built again at the end from sorted keys. Both happen inside the batch's transaction, so
/// no other connection sees the table without them.
///
/// ```swift
/// var unique = try UniqueIndexes(db, expectedRows: sites.count)
/// … insert rows; unique.wrote(site, fid: fid) for each …
/// try unique.restore(db)
/// ```
/// The indexes are built from the keys the batch reports, sorted in memory
/// (`SortedUUIDIndex`, `SortedSourceKeyIndex`), when every stored id is a UUID in the
/// store's own text form and every site has a dataset and a source key; an index whose keys
/// do not allow it, or that a repeated key breaks, by `CREATE UNIQUE INDEX`.
///
/// With the indexes gone nothing stops a repeated id or source key until they are built
/// again; then the first site (in the batch's order) that repeats one is found and named, and
/// the batch fails as it would have at that site's insert. Foreign keys must be off for the
/// batch (`SiteStore.writeWithoutForeignKeys`): SQLite refuses writes to a parent table whose
/// key has no unique index.
struct UniqueIndexes {
    /// Batches smaller than this keep the indexes.
    static let minimumRows = 1_000
    let setAside: Bool
    /// The fid of the last row stored before the batch.
    private let storedThrough: Int64
    /// The ids and source keys of the sites the batch wrote, with their fids.
    private var ids: [SortedUUIDIndex.Key] = []
    private var sourceKeys = SortedSourceKeyIndex.Keys()

    init(_ db: Database, expectedRows: Int) throws {
        storedThrough = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM sites") ?? 0
        guard expectedRows >= Self.minimumRows else { setAside = false; return }
        let stored = try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0
        setAside = expectedRows >= stored
        guard setAside else { return }
        ids.reserveCapacity(expectedRows)
        sourceKeys = SortedSourceKeyIndex.Keys(expectedRows: expectedRows)
        for index in StoreSchema.uniqueIndexes { try db.execute(sql: "DROP INDEX IF EXISTS \(index.name)") }
    }

    /// Records that the batch wrote `site` as row `fid`.
    mutating func wrote(_ site: Site, fid: Int64) {
        guard setAside else { return }
        ids.append(SortedUUIDIndex.Key(site.id, fid: fid))
        sourceKeys.append(dataset: site.dataset, sourceKey: site.sourceKey, fid: fid)
    }

    /// Builds the indexes again, or throws `StoreError.invalidRecord` for the first site that
    /// repeats a key.
    mutating func restore(_ db: Database) throws {
        guard setAside else { return }
        var built: Set<String> = []
        if try SortedUUIDIndex.build(db, written: &ids, storedThrough: storedThrough) { built.insert(StoreSchema.uuidIndex.name) }
        ids = []
        if try SortedSourceKeyIndex.build(db, written: &sourceKeys, storedThrough: storedThrough) {
            built.insert(StoreSchema.sourceKeyIndex.name)
        }
        sourceKeys = SortedSourceKeyIndex.Keys()
        for index in StoreSchema.uniqueIndexes where !built.contains(index.name) {
            do {
                try db.execute(sql: StoreSchema.createUniqueIndex(index))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                let columns = index.columns.joined(separator: ", ")
                let notNull = index.columns.map { "\($0) IS NOT NULL" }.joined(separator: " AND ")
                guard let row = try Row.fetchOne(db, sql: """
                    SELECT uuid, dataset, source_key FROM (
                      SELECT fid, uuid, dataset, source_key, row_number() OVER (PARTITION BY \(columns) ORDER BY fid) AS k
                      FROM sites WHERE \(notNull))
                    WHERE k = 2 ORDER BY fid LIMIT 1
                    """) else { throw error }
                throw StoreError.invalidRecord(id: row["uuid"], reason: SiteStore.uniquenessReason(
                    error, dataset: row["dataset"], sourceKey: row["source_key"]))
            }
        }
    }
}
