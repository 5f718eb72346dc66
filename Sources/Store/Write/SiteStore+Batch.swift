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
    /// One audit entry records the batch (its label and count). The statements are prepared
    /// once and reused, 32 sites to a statement; the spatial and search indexes are built once
    /// for the whole batch.
    /// - Throws: `StoreError.invalidRecord` naming the first site that breaks the model or a
    ///   uniqueness rule (its id, or its dataset and source key, already stored or repeated).
    /// - Returns: the number of sites inserted.
    /// - Complexity: O(n log n) (index maintenance).
    @discardableResult
    public func insertBatch(_ sites: some Sequence<Site>, label: String? = nil) throws -> Int {
        try write { db in try Self.insertBatch(db, sites, label: label) }
    }

    /// Sites per INSERT statement in a batch.
    static let rowsPerStatement = 32

    static func insertBatch(_ db: Database, _ sites: some Sequence<Site>, label: String?) throws -> Int {
        let indexes = try DeferredIndexes(db)
        let insertRows = try RawStatement(db, Site.batchInsertSQL(rows: rowsPerStatement))
        let insertRow = try RawStatement(db, Site.batchInsertSQL(rows: 1))
        try insertRows.bindBatchTime(db)
        try insertRow.bindBatchTime(db)
        let insertName = try RawStatement(db, SiteName.insertSQL)
        var extent: BoundingBox?
        var count = 0
        var span = 0.0
        var pending: [Site] = []
        pending.reserveCapacity(rowsPerStatement)
        // Sites go in 32 to a statement; their names after them (the names' foreign key
        // needs the site's row).
        func insertOneByOne() throws {
            for site in pending {
                site.bind(to: insertRow, row: 0)
                do {
                    try insertRow.run()
                } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                    let key = site.sourceKey.map { " (source key '\($0)' of dataset '\(site.dataset ?? "")')" } ?? ""
                    throw StoreError.invalidRecord(id: site.id.uuidString, reason: (error.message ?? "\(error.resultCode)") + key)
                }
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
        try indexes.finish(db)
        if let e = extent { try extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY)) }
        try widenSpan(db, span)
        try audit(db, .batchInsert, entity: "site", id: nil,
                  detail: jsonString(["count": String(count), "label": label ?? ""]))
        return count
    }
}
