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
    /// once and reused for every row; the spatial and search indexes are built once for the
    /// whole batch.
    /// - Returns: the number of sites inserted.
    /// - Complexity: O(n log n) (index maintenance).
    @discardableResult
    public func insertBatch(_ sites: some Sequence<Site>, label: String? = nil) throws -> Int {
        try write { db in try Self.insertBatch(db, sites, label: label) }
    }

    static func insertBatch(_ db: Database, _ sites: some Sequence<Site>, label: String?) throws -> Int {
        let indexes = try DeferredIndexes(db)
        let insertSite = try RawStatement(db, Site.batchInsertSQL)
        try insertSite.bindBatchTime(db)
        let insertName = try RawStatement(db, SiteName.insertSQL)
        var extent: BoundingBox?
        var count = 0
        var span = 0.0
        for site in sites {
            try site.validate()
            site.bind(to: insertSite)
            try insertSite.run()
            for n in site.names {
                insertName.bind(n.columnValues(site: site.id))
                try insertName.run()
            }
            if let box = site.geometry.boundingBox {
                if box.width <= 180 { span = max(span, box.width) }
                if extent == nil { extent = box } else { extent?.extend(box) }
            }
            count += 1
        }
        try indexes.finish(db)
        if let e = extent { try extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY)) }
        try widenSpan(db, span)
        try audit(db, .batchInsert, entity: "site", id: nil,
                  detail: jsonString(["count": String(count), "label": label ?? ""]))
        return count
    }
}
