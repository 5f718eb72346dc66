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
    private(set) var extent: BoundingBox?
    private(set) var span = 0.0
    private(set) var inserted = 0
    private(set) var updated = 0
    private(set) var unchanged = 0
    private var newDatasets: [String: Bool] = [:]
    private let indexes: DeferredIndexes
    /// The fid of the site the last `upsert` inserted.
    public private(set) var lastInsertedFid: Int64?

    init(_ db: Database) throws {
        self.db = db
        indexes = try DeferredIndexes(db)
        find = try db.makeStatement(sql: Site.selectSQL + " WHERE dataset = ? AND source_key = ?")
        insert = try RawStatement(db, Site.batchInsertSQL(rows: 1))
        try insert.bindBatchTime(db)
        insertName = try RawStatement(db, SiteName.insertSQL)
        update = try db.makeStatement(sql: Site.updateSQL)
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
            let storedID: String = row[Site.columnIndex["uuid"] ?? 0] ?? stored.id.uuidString
            stored.names = try SiteStore.names(db, storedID: storedID)
            var replacement = site
            replacement.id = stored.id
            if replacement == stored {
                unchanged += 1
                return .unchanged
            }
            try update.execute(arguments: replacement.updateArguments(storedID: storedID))
            indexes.updated(storedID)
            try db.execute(sql: "DELETE FROM site_names WHERE site_id = ?", arguments: [storedID])
            try SiteStore.insertNames(db, replacement, siteID: storedID)
            if !replacement.names.isEmpty { indexes.namesWritten = true }
            track(replacement.geometry)
            updated += 1
            return .updated
        }
        try insertNew(site)
        return .inserted
    }

    private func insertNew(_ site: Site) throws {
        site.bind(to: insert, row: 0)
        try insert.run()
        lastInsertedFid = db.lastInsertedRowID
        for n in site.names {
            insertName.bind(n.columnValues(site: site.id))
            try insertName.run()
            indexes.namesWritten = true
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

    /// For every site this batch inserted, in order, the sites of other datasets stored before
    /// it (earlier in the batch or before the batch) whose boxes come within `metres` of its
    /// own: candidate duplicates for the caller to measure and compare by name.
    ///
    /// One query over the whole batch through the R*Tree (indexed first), rather than one
    /// search per record; the box margin is `metres` as degrees of latitude, widened by the
    /// site's latitude for longitude (and used on both axes, a coarse filter).
    /// - Returns: pairs of (inserted site's fid, other site's fid), by the first, then the second.
    public func insertedSitesNearOtherDatasets(metres: Double) throws -> [(site: Int64, other: Int64)] {
        // The first fid of every dataset (one pass over the (dataset, source_key) index): a
        // new site of dataset d can only meet other datasets' sites if one of them has a
        // smaller fid, so each dataset's new sites are searched from that fid on.
        let firsts = try Row.fetchAll(db, sql: "SELECT dataset, min(fid) FROM sites GROUP BY dataset")
            .map { (dataset: $0[0] as String?, first: $0[1] as Int64) }
        let newDatasets = try Row.fetchAll(db, sql: "SELECT DISTINCT dataset FROM sites WHERE fid > ?", arguments: [indexes.firstNewFid])
            .map { $0[0] as String? }
        // The smallest first fid of the datasets other than d is the smallest of all, unless
        // d holds it; then the second smallest (two minima, not a filter per dataset, which
        // grew with the square of the datasets: a zip of 5,000 CSV files is 5,000 datasets).
        let ordered = firsts.sorted { $0.first < $1.first }.prefix(2)
        var searches: [(dataset: String?, after: Int64)] = []
        for dataset in newDatasets {
            guard let other = ordered.first(where: { $0.dataset != dataset })?.first else { continue }
            searches.append((dataset, max(indexes.firstNewFid, other)))
        }
        guard !searches.isEmpty else { return [] }
        try indexes.catchUpSpatial(db)
        let margin = "(?2 / max(0.05, cos(nb.miny * 0.017453292519943295)))"
        let statement = try db.makeStatement(sql: """
            SELECT n.fid, o.id FROM sites n
            JOIN rtree_sites_geom nb ON nb.id = n.fid
            JOIN rtree_sites_geom o ON o.minx <= nb.maxx + \(margin) AND o.maxx >= nb.minx - \(margin)
              AND o.miny <= nb.maxy + \(margin) AND o.maxy >= nb.miny - \(margin)
            JOIN sites os ON os.fid = o.id
            WHERE n.fid > ?1 AND n.dataset IS ?3 AND o.id < n.fid AND os.dataset IS NOT n.dataset
            """)
        var pairs: [(site: Int64, other: Int64)] = []
        for search in searches {
            let rows = try Row.fetchAll(statement, arguments: [search.after, metres / 111_000, search.dataset])
            pairs += rows.map { ($0[0], $0[1]) }
        }
        pairs.sort { ($0.site, $0.other) < ($1.site, $1.other) }
        return pairs
    }

    /// Full sites (names included) by fid.
    public func sites(_ fids: [Int64]) throws -> [Int64: Site] {
        try SiteStore.sites(db, fids: fids)
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
        defer { checkpoints.run(on: pool) }
        return try Self.mapErrors(path) {
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
