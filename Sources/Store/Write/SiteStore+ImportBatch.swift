import Foundation
import GRDB

/// An import's transaction around a `SiteImportBatch`.
extension SiteStore {
    /// Runs an import's writes in one transaction: committed when `body` returns, rolled
    /// back when it throws or when `dryRun` is true — the store is then exactly as it was.
    ///
    /// ```swift
    /// let (report, inserted, updated, unchanged) = try store.importBatch(label: "fosas.shp") { batch in … }
    /// ```
    /// One audit entry records the batch with its label and counts, and lists every row it
    /// changed (`AuditChange`): each update with its content before and after and what it
    /// replaced, each new site with its content's hash.
    /// - Parameter by: who the entry names (default: the user name, `Auditor.current`).
    /// - Returns: what `body` returned, with the inserted, updated and unchanged counts.
    public func importBatch<T>(
        label: String?, dryRun: Bool = false, by: String? = nil, _ body: (SiteImportBatch) throws -> T
    ) throws -> (result: T, inserted: Int, updated: Int, unchanged: Int) {
        let pool = try pool
        defer { checkpoints.run(on: pool) }
        return try Self.mapErrors(path) {
            try pool.writeWithoutTransaction { db in
                // The import's page cache (ConnectionSettings), the writer's own after it.
                let cache = try ConnectionSettings.PageCache(db, kib: ConnectionSettings.importCacheKiB)
                defer { cache.restore(db) }
                var output: (T, Int, Int, Int)?
                try db.inTransaction {
                    let batch = try SiteImportBatch(db, by: by)
                    let result = try body(batch)
                    try batch.finish()
                    if batch.updated > 0 {
                        try Self.recomputeExtent(db)
                    } else if let e = batch.extent {
                        try Self.extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY))
                    }
                    try Self.widenSpan(db, batch.span)
                    batch.change.newSites(after: batch.indexes.firstNewFid)
                    try batch.change.commit(entity: "site", id: nil, detail: Self.jsonString([
                        "label": label ?? "", "inserted": String(batch.inserted), "updated": String(batch.updated),
                        "unchanged": String(batch.unchanged),
                    ]), always: true)
                    output = (result, batch.inserted, batch.updated, batch.unchanged)
                    return dryRun ? .rollback : .commit
                }
                guard let output else { throw StoreError.database(path: path, message: "import produced no result", sql: nil) }
                return (output.0, output.1, output.2, output.3)
            }
        }
    }
}
