import GRDB
import Geometry

/// The sites' R*Tree and full-text index during a batch: the per-row insert triggers set
/// aside and the rows written meanwhile indexed together at the end.
///
/// ```swift
/// let indexes = try DeferredIndexes(db)     // inside the batch's transaction
/// … insert rows; indexes.updated(uuid) for sites changed in place …
/// try indexes.finish(db)                    // indexes them and restores the triggers
/// ```
/// A trigger on the inserted table makes SQLite run a sub-program, open a statement journal
/// and call the virtual tables' savepoint hooks for every row; with them gone a row costs a
/// few microseconds. The R*Tree is then filled by `RTreeBulkLoad` when the new rows are a
/// large share of the table, else by one `INSERT … SELECT` doing what the trigger would have
/// done; the search index by one `INSERT … SELECT` for the new sites plus a refresh of the
/// sites updated in place.
///
/// Everything happens inside the batch's transaction: the dropped and re-created triggers
/// are rolled back with it, so another connection never sees a table without its triggers
/// or rows missing from an index. Update and delete triggers stay; the search ones skip
/// their work while the `search_deferred` row exists (written here, removed in `finish`).
final class DeferredIndexes {
    static let spatial = RTreeIndex(table: "sites", column: "geom", idColumn: "fid")

    /// The fid of the last row before the batch.
    let firstNewFid: Int64
    /// Rows up to this fid are in the R*Tree.
    private(set) var spatialThrough: Int64
    /// Sites that existed before the batch whose text changed.
    private var updatedIDs: Set<String> = []
    /// Whether the batch wrote any row of `site_names` (else the new sites' search text
    /// needs no lookup of their other names).
    var namesWritten = false

    /// The rows a batch wrote itself, in fid order, with their boxes, their search text
    /// already in `site_search_text`: the end of the batch indexes them without reading them
    /// back from the table.
    struct WrittenRows {
        private(set) var firstFid: Int64 = 0
        private(set) var boxes: [BoundingBox?] = []
        /// Whether the fids run on without a gap from `firstFid`.
        private(set) var consecutive = true

        init(expectedRows: Int = 0) {
            boxes.reserveCapacity(expectedRows)
        }

        mutating func append(fid: Int64, box: BoundingBox?) {
            if boxes.isEmpty { firstFid = fid } else if fid != firstFid + Int64(boxes.count) { consecutive = false }
            boxes.append(box)
        }

        /// Whether these are exactly the rows with fids in `after < fid <= through`.
        func cover(after: Int64, through: Int64) -> Bool {
            consecutive && !boxes.isEmpty && firstFid > after && firstFid + Int64(boxes.count) - 1 == through
        }
    }

    init(_ db: Database) throws {
        firstNewFid = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM sites") ?? 0
        spatialThrough = firstNewFid
        try db.execute(sql: "DROP TRIGGER IF EXISTS \(Self.spatial.name)_insert")
        try db.execute(sql: "DROP TRIGGER IF EXISTS \(StoreSchema.uuidFillTrigger.name)")   // the batch's ids are UUIDs
        for trigger in SiteSearchIndex.insertTriggers { try db.execute(sql: "DROP TRIGGER IF EXISTS \(trigger.name)") }
        try db.execute(sql: "INSERT OR REPLACE INTO store_metadata (key, value) VALUES (?, '1')",
                       arguments: [SiteSearchIndex.deferredKey])
    }

    /// Records that the stored site `uuid` may have changed its names or description.
    func updated(_ uuid: String) {
        updatedIDs.insert(uuid)
    }

    /// Puts every row added since the last call into the R*Tree (for a batch that queries the
    /// index midway).
    func catchUpSpatial(_ db: Database, written: WrittenRows? = nil) throws {
        // Rows added since (at most: fids above the last indexed one, less any deleted since),
        // without counting them (a scan of every new row).
        let lastFid = try Int64.fetchOne(db, sql: "SELECT max(fid) FROM sites") ?? 0
        let pending = Int(max(0, lastFid - spatialThrough))
        guard pending > 0 else { return }
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0
        // A packed rebuild costs about a tenth of a trigger insert per row, over every row.
        let known = written.flatMap { $0.cover(after: spatialThrough, through: lastFid) ? (firstFid: $0.firstFid, boxes: $0.boxes) : nil }
        if pending * 10 >= total, try RTreeBulkLoad(index: Self.spatial).run(db, newRows: known) != nil {
            // Rebuilt whole.
        } else {
            try db.execute(sql: """
                INSERT OR REPLACE INTO \(Self.spatial.name)
                  SELECT fid, ST_MinX(geom), ST_MaxX(geom), ST_MinY(geom), ST_MaxY(geom) FROM sites
                  WHERE fid > ? AND geom IS NOT NULL AND NOT ST_IsEmpty(geom)
                """, arguments: [spatialThrough])
        }
        spatialThrough = lastFid
    }

    /// Indexes the remaining rows and puts the triggers back.
    /// - Parameter written: the new rows, if the batch wrote them all itself and their search
    ///   text with them (else they are read back from the table).
    func finish(_ db: Database, written: WrittenRows? = nil) throws {
        let lastFid = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM sites") ?? 0
        let textWritten = written?.cover(after: firstNewFid, through: lastFid) ?? false
        try catchUpSpatial(db, written: written)
        try db.execute(sql: Self.spatial.insertTrigger)
        if !textWritten {
            if let written, !written.boxes.isEmpty {
                // Text the batch wrote for rows it cannot vouch for: dropped (it has no index
                // entries to remove), and every new row's read back below.
                try db.execute(sql: "DELETE FROM site_search_text WHERE fid > ?", arguments: [firstNewFid])
            }
            // New sites: none has a search entry yet, unless an update within the batch made one.
            for sql in SiteSearchIndex.removeSitesAfter { try db.execute(sql: sql, arguments: [firstNewFid]) }
        }
        // In slices of 50,000 sites: one statement over every new site held memory in
        // proportion to them (+32 MB for 500k), a slice at a time keeps it flat.
        let merges = try SiteSearchIndex.Merges(db, deferredFor: Int(lastFid - firstNewFid))
        for from in stride(from: firstNewFid, to: lastFid, by: 50_000) {
            let slice: StatementArguments = [from, from + 50_000]
            if !textWritten {
                try SiteSearchIndex.writeTextOfSites(db, after: from, through: from + 50_000, named: namesWritten)
            }
            try db.execute(sql: SiteSearchIndex.indexText, arguments: slice)
        }
        try merges.restore(db)
        for id in updatedIDs.sorted() {
            for sql in SiteSearchIndex.refreshSite { try db.execute(sql: sql, arguments: [id]) }
        }
        for trigger in SiteSearchIndex.insertTriggers { try db.execute(sql: trigger.sql) }
        try db.execute(sql: StoreSchema.uuidFillTrigger.sql)
        try db.execute(sql: "DELETE FROM store_metadata WHERE key = ?", arguments: [SiteSearchIndex.deferredKey])
    }
}
