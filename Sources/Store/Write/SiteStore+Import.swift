import Foundation
import GRDB
import Geometry

/// What an import did with one site.
public enum ImportOutcome: String, Hashable, Sendable {
    /// No site had the dataset and source key: a new site was added.
    case inserted
    /// A site with the dataset and source key existed and differed: it now holds the new
    /// values (keeping its id).
    case updated
    /// A site with the dataset and source key existed with exactly these values.
    case unchanged
}

/// The write side of an import: sites identified by dataset and source key, in one
/// transaction. Valid only inside the `SiteStore.importBatch` body that made it.
///
/// ```swift
/// let counts = try store.importBatch(label: "fosas.shp") { batch in
///     for site in sites { _ = try batch.upsert(site) }
/// }
/// ```
public final class SiteImportBatch {
    let db: Database
    private let find: Statement
    private let insert: RawStatement
    private let insertName: RawStatement
    private let update: Statement
    private let near: Statement
    private(set) var extent: BoundingBox?
    private(set) var span = 0.0
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var unchanged = 0
    private var newDatasets: [String: Bool] = [:]
    private let indexes: DeferredIndexes
    /// Datasets of the sites inserted since the spatial index last caught up.
    private var unindexedDatasets: Set<String?> = []
    /// Datasets of every site this batch inserted.
    private var insertedDatasets: Set<String?> = []
    /// The smallest and largest dataset in the table when first needed.
    private var storedDatasetRange: (String?, String?)?
    private var storeWasEmpty = false

    init(_ db: Database) throws {
        self.db = db
        indexes = try DeferredIndexes(db)
        find = try db.makeStatement(sql: Site.selectSQL + " WHERE dataset = ? AND source_key = ?")
        insert = try RawStatement(db, Site.batchInsertSQL)
        try insert.bindBatchTime(db)
        insertName = try RawStatement(db, SiteName.insertSQL)
        update = try db.makeStatement(sql: Site.updateSQL)
        near = try db.makeStatement(sql: """
            SELECT s.fid FROM rtree_sites_geom r JOIN sites s ON s.fid = r.id
            WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ? AND s.dataset IS NOT ?
            """)
    }

    /// Inserts `site`, or updates the stored site with the same `dataset` and `sourceKey`
    /// (which keeps its own id: `site.id` is then ignored), or leaves it when nothing differs.
    ///
    /// - Throws: `StoreError.invalidRecord` for a site that breaks the model; database errors.
    public func upsert(_ site: Site) throws -> ImportOutcome {
        try site.validate()
        if let dataset = site.dataset, site.sourceKey != nil, try isNew(dataset) {
            // A dataset the store did not hold when the import began: no lookup needed, unless
            // the import itself repeats a key (then the insert fails and the lookup decides).
            do {
                try insertNew(site)
                return .inserted
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // Fall through to the lookup below.
            }
        }
        if let dataset = site.dataset, let key = site.sourceKey,
           let row = try Row.fetchOne(find, arguments: [dataset, key]) {
            var stored = try Site(row: row)
            stored.names = try SiteStore.names(db, siteIDs: [stored.id.uuidString])[stored.id.uuidString] ?? []
            var replacement = site
            replacement.id = stored.id
            if replacement == stored {
                unchanged += 1
                return .unchanged
            }
            try update.execute(arguments: replacement.updateArguments)
            indexes.updated(stored.id.uuidString)
            try db.execute(sql: "DELETE FROM site_names WHERE site_id = ?", arguments: [stored.id.uuidString])
            try SiteStore.insertNames(db, replacement)
            track(replacement.geometry)
            updated += 1
            return .updated
        }
        try insertNew(site)
        return .inserted
    }

    private func insertNew(_ site: Site) throws {
        site.bind(to: insert)
        try insert.run()
        unindexedDatasets.insert(site.dataset)
        insertedDatasets.insert(site.dataset)
        for n in site.names {
            insertName.bind(n.columnValues(site: site.id))
            try insertName.run()
        }
        track(site.geometry)
        inserted += 1
    }

    /// Whether the store held no site of `dataset` when this batch first asked.
    private func isNew(_ dataset: String) throws -> Bool {
        if let known = newDatasets[dataset] { return known }
        let exists = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM sites WHERE dataset = ?)", arguments: [dataset]) ?? false
        newDatasets[dataset] = !exists
        return !exists
    }

    /// Whether any stored site (before or during this batch) belongs to a dataset other than
    /// `dataset`: when none does, a site can have no neighbour from another dataset and the
    /// index need not be asked (the common case of a first import into a new store).
    private func holdsOtherDatasets(than dataset: String?) throws -> Bool {
        if insertedDatasets.contains(where: { $0 != dataset }) { return true }
        if storedDatasetRange == nil {
            // The smallest and largest dataset, read from the (dataset, source_key) index; NULL
            // sorts first.
            let lowest = try Row.fetchOne(db, sql: "SELECT dataset FROM sites ORDER BY dataset LIMIT 1")
            let highest = try Row.fetchOne(db, sql: "SELECT dataset FROM sites ORDER BY dataset DESC LIMIT 1")
            storedDatasetRange = lowest.map { ($0[0] as String?, highest?[0] as String?) } ?? .some((nil, nil))
            storeWasEmpty = lowest == nil
        }
        if storeWasEmpty { return false }
        guard let dataset, let range = storedDatasetRange else { return true }
        return range.0 != dataset || range.1 != dataset
    }

    /// Sites of other datasets whose bounding boxes come within `degrees` of `geometry`'s
    /// (a coarse filter: callers measure the real distance).
    public func neighbours(of geometry: Geometry, degrees: Double, excludingDataset dataset: String?) throws -> [Site] {
        guard let box = geometry.boundingBox, try holdsOtherDatasets(than: dataset) else { return [] }
        // Sites of other datasets written earlier in this batch must be in the index first.
        if unindexedDatasets.contains(where: { $0 != dataset }) {
            try indexes.catchUpSpatial(db)
            unindexedDatasets.removeAll()
        }
        let fids = try Int64.fetchAll(near, arguments: [
            box.maxX + degrees, box.minX - degrees, box.maxY + degrees, box.minY - degrees, dataset,
        ])
        return Array(try SiteStore.sites(db, fids: fids).values)
    }

    /// Indexes the batch's remaining sites and restores the per-row index triggers.
    func finish() throws {
        try indexes.finish(db)
    }

    private func track(_ geometry: Geometry) {
        guard let box = geometry.boundingBox else { return }
        if box.width <= 180 { span = max(span, box.width) }
        if extent == nil { extent = box } else { extent?.extend(box) }
    }
}

extension SiteStore {
    /// Runs an import's writes in one transaction: committed when `body` returns, rolled
    /// back when it throws or when `dryRun` is true — the store is then exactly as it was.
    ///
    /// One audit entry records the batch with its label and counts.
    /// - Returns: what `body` returned, with the inserted, updated and unchanged counts.
    public func importBatch<T>(
        label: String?, dryRun: Bool = false, _ body: (SiteImportBatch) throws -> T
    ) throws -> (result: T, inserted: Int, updated: Int, unchanged: Int) {
        try Self.mapErrors(path) {
            try pool.writeWithoutTransaction { db in
                // Statement journals in memory rather than temporary files, and room for the
                // pages a large transaction touches, so it does not spill to disk early.
                try db.execute(sql: "PRAGMA temp_store = MEMORY")
                try db.execute(sql: "PRAGMA cache_size = -32768")
                var output: (T, Int, Int, Int)?
                try db.inTransaction {
                    let batch = try SiteImportBatch(db)
                    let result = try body(batch)
                    try batch.finish()
                    if batch.updated > 0 {
                        try Self.recomputeExtent(db)
                    } else if let e = batch.extent {
                        try Self.extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY))
                    }
                    try Self.widenSpan(db, batch.span)
                    try Self.audit(db, .batchInsert, entity: "site", id: nil, detail: Self.jsonString([
                        "label": label ?? "", "inserted": String(batch.inserted), "updated": String(batch.updated),
                        "unchanged": String(batch.unchanged),
                    ]))
                    output = (result, batch.inserted, batch.updated, batch.unchanged)
                    return dryRun ? .rollback : .commit
                }
                guard let output else { throw StoreError.database(path: path, message: "import produced no result", sql: nil) }
                return (output.0, output.1, output.2, output.3)
            }
        }
    }
}
