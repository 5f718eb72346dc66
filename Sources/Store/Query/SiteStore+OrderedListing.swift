import Foundation
import GRDB

/// Every site, streamed in an order the caller's key decides rather than the store's own.
extension SiteStore {
    /// Calls `body` with every site for which `key` gives a value, in ascending key order
    /// (ties in store order), inside one read transaction, so the listing is a consistent snapshot.
    ///
    /// ```swift
    /// // Published sites by cell, then by a salted hash of the id: nothing of the import order.
    /// try store.forEachSite(orderedBy: { site in order.key(for: site) }) { listed in … }
    /// ```
    /// Two passes: the first decodes each site (without names) and keeps only its key and
    /// `fid`; the keys are sorted; the second reads each site again by `fid`, names included,
    /// and hands it over. A site whose key is nil (one the caller will not show) is never read
    /// twice nor handed over. Memory holds the (key, fid) pairs only: for a 24-byte key, 32
    /// bytes a site, about 32 MB at a million sites; never whole sites. The pairs' array is
    /// sized to the sites' count before it is filled: grown by doubling, it held half as much
    /// again at its peak, which an export at a million sites kept as its high-water mark. The
    /// page cache is held to 4 MiB, as in `forEachSite(_:)`: the second pass visits the sites
    /// in no order of the file's, and a reader's 64 MiB cache filled to its limit (60 MiB more
    /// at the peak of a public tile export at a million sites) for a few hits.
    /// `body` must not write to this store (the read would block it).
    /// - Complexity: O(n log n) for n keyed sites, plus one index probe per site and per name.
    public func forEachSite<Key: Comparable>(
        orderedBy key: (Site) throws -> Key?, _ body: (ListedSite) throws -> Void
    ) throws {
        try read { db in
            let cache = try ConnectionSettings.PageCache(db, kib: ConnectionSettings.scanCacheKiB)
            defer { cache.restore(db) }
            var keyed: [(key: Key, fid: Int64)] = []
            keyed.reserveCapacity(try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0)
            let rows = try Row.fetchCursor(db, sql: Site.selectSQL + " ORDER BY fid")
            while let row = try rows.next() {
                let fid: Int64 = row[0] ?? 0   // selectSQL starts with fid
                if let k = try key(try Site(row: row)) { keyed.append((k, fid)) }
            }
            // Stable on ties: fid breaks them, so the order is a function of the keys alone.
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid }
            let lastEvents = try Self.lastEventDates(db)
            let fetch = try SiteFetch(db)
            let select = try RawStatement(cached: db, Site.selectSQL + " WHERE fid = ?1")
            for (_, fid) in keyed {
                select.bind(1, fid)
                defer { select.reset() }
                guard try select.step() else { continue }   // gone since the first pass: cannot happen in one transaction
                let site = try fetch.site(on: select)
                // Events name their site by the same uuid text the row holds.
                let lastEvent = lastEvents.isEmpty ? nil : lastEvents[select.text(Int32(Site.Column.uuid.rawValue))]
                try body(ListedSite(site: site, lastEventDate: lastEvent))
            }
        }
    }
}
