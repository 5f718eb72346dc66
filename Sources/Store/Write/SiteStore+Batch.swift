import Foundation
import GRDB
import Geometry

/// The import path: many sites in one transaction through prepared statements.
extension SiteStore {
    /// Inserts every site in one transaction: all of them, or (on any error) none.
    ///
    /// ```swift
    /// let count = try store.insertBatch(sites, label: "khavaran-survey-2021")
    /// ```
    /// One audit entry records the batch (its label and count) and lists each site with the
    /// hash of its content. The statements are prepared
    /// once and reused, 32 sites to a statement; the spatial and search indexes are built once
    /// for the whole batch, and so are the unique indexes when the batch is at least as large
    /// as the table (see `UniqueIndexes`).
    /// - Throws: `StoreError.invalidRecord` naming the first site that breaks the model or a
    ///   uniqueness rule (its id, or its dataset and source key, already stored or repeated).
    /// - Returns: the number of sites inserted.
    /// - Complexity: O(n log n) (index maintenance).
    @discardableResult
    public func insertBatch(_ sites: some Sequence<Site>, label: String? = nil, by: String? = nil) throws -> Int {
        let expected = sites.underestimatedCount
        return try writeWithoutForeignKeys { db in try Self.insertBatch(db, sites, expected: expected, label: label, by: by) }
    }

    /// SQLite's message for a broken uniqueness rule, with the site's source key if it has one.
    static func uniquenessReason(_ error: DatabaseError, dataset: String?, sourceKey: String?) -> String {
        (error.message ?? "\(error.resultCode)") + (sourceKey.map { " (source key '\($0)' of dataset '\(dataset ?? "")')" } ?? "")
    }

    /// Sites per INSERT statement in a batch.
    static let rowsPerStatement = 32

    /// - Parameter expected: how many sites the batch holds at least (for the choice to set
    ///   the unique indexes aside).
    static func insertBatch(_ db: Database, _ sites: some Sequence<Site>, expected: Int, label: String?, by: String? = nil) throws -> Int {
        let indexes = try DeferredIndexes(db)
        let unique = try UniqueIndexes(db, expectedRows: expected)
        let insertRows = try RawStatement(db, Site.batchInsertSQL(rows: rowsPerStatement), rebindsStagedParameters: true)
        let insertRow = try RawStatement(db, Site.batchInsertSQL(rows: 1), rebindsStagedParameters: true)
        try insertRows.bindBatchTime(db)
        try insertRow.bindBatchTime(db)
        let insertName = try RawStatement(db, SiteName.insertSQL)
        let texts = try SearchTextWriter(db, rowsPerStatement: rowsPerStatement)
        var written = DeferredIndexes.WrittenRows(expectedRows: expected)
        var extent: BoundingBox?
        var count = 0
        var span = 0.0
        var pending: [Site] = []
        pending.reserveCapacity(rowsPerStatement)
        // Sites go in 32 to a statement; their names after them. (Foreign keys are off for the
        // batch, since they need the uuid index, which may be set aside: every name written
        // here belongs to the site written just before it.)
        // Each site's search text and box are kept as it is written (its fid from SQLite),
        // so that the end of the batch need not read the rows back.
        func insertOneByOne() throws {
            for site in pending {
                site.bind(to: insertRow, row: 0)
                do {
                    try insertRow.run()
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    throw StoreError.invalidRecord(id: site.id.uuidString, reason: uniquenessReason(
                        error, dataset: site.dataset, sourceKey: site.sourceKey))
                }
                let fid = db.lastInsertedRowID
                try texts.write([site], firstFid: fid)
                written.append(fid: fid, box: site.geometry.boundingBox)
            }
        }
        func flush() throws {
            if pending.count < rowsPerStatement {
                try insertOneByOne()
            } else {
                for (r, site) in pending.enumerated() { site.bind(to: insertRows, row: r) }
                do {
                    try insertRows.run()
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    // SQLite undid the failed statement; the same sites one at a time find the
                    // one that breaks the constraint and name it.
                    try insertOneByOne()
                    throw error
                }
                // One statement's rows take consecutive fids, ending at the last one inserted.
                let first = db.lastInsertedRowID - Int64(rowsPerStatement - 1)
                for (r, site) in pending.enumerated() {
                    written.append(fid: first + Int64(r), box: site.geometry.boundingBox)
                }
                try texts.write(pending, firstFid: first)
            }
            for site in pending {
                for n in site.names {
                    insertName.bind(n.columnValues(site: site.id))
                    try insertName.run()
                    indexes.namesWritten = true
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        for site in sites {
            try site.validate()
            pending.append(site)
            if pending.count == rowsPerStatement { try flush() }
            if let box = site.geometry.boundingBox {
                if box.width <= 180 { span = max(span, box.width) }
                if extent == nil { extent = box } else { extent?.extend(box) }
            }
            count += 1
        }
        try flush()
        try unique.restore(db)
        try indexes.finish(db, written: written)
        if let e = extent { try extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY)) }
        try widenSpan(db, span)
        let change = AuditChange(db, action: "batch_insert", by: by)
        change.newSites(after: indexes.firstNewFid)
        try change.commit(entity: "site", id: nil, detail: jsonString(["count": String(count), "label": label ?? ""]), always: true)
        return count
    }
}
