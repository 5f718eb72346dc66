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
    /// once and reused for every row; the search index is built once for the whole batch.
    /// - Returns: the number of sites inserted.
    /// - Complexity: O(n log n) (index maintenance).
    @discardableResult
    public func insertBatch(_ sites: some Sequence<Site>, label: String? = nil) throws -> Int {
        try write { db in try Self.insertBatch(db, sites, label: label) }
    }

    static func insertBatch(_ db: Database, _ sites: some Sequence<Site>, label: String?) throws -> Int {
        let lastFid = try Int64.fetchOne(db, sql: "SELECT coalesce(max(fid), 0) FROM sites") ?? 0
        try db.execute(sql: "INSERT INTO store_metadata (key, value) VALUES (?, '1')", arguments: [SiteSearchIndex.deferredKey])
        let insertSite = try db.makeStatement(sql: Site.insertSQL)
        let insertName = try db.makeStatement(
            sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, ?, ?, ?)")
        var extent: BoundingBox?
        var count = 0
        var span = 0.0
        for site in sites {
            try site.validate()
            try insertSite.execute(arguments: site.arguments)
            for n in site.names {
                try insertName.execute(arguments: [site.id.uuidString, n.language, n.name, n.direction.rawValue])
            }
            if let box = site.geometry.boundingBox {
                if box.width <= 180 { span = max(span, box.width) }
                if extent == nil { extent = box } else { extent?.extend(box) }
            }
            count += 1
        }
        try db.execute(sql: SiteSearchIndex.indexSitesAfter, arguments: [lastFid])
        try db.execute(sql: "DELETE FROM store_metadata WHERE key = ?", arguments: [SiteSearchIndex.deferredKey])
        if let e = extent { try extendExtent(db, (e.minX, e.minY, e.maxX, e.maxY)) }
        try widenSpan(db, span)
        try audit(db, .batchInsert, entity: "site", id: nil,
                  detail: jsonString(["count": String(count), "label": label ?? ""]))
        return count
    }
}
