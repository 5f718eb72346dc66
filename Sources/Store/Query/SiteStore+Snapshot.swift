import Foundation
import GRDB

/// Several reads of the store in one read transaction: what a server request needs so that every
/// part of its answer (the page, the counts, the extent) comes from the same committed state.
///
/// ```swift
/// let page = try store.snapshot { snap in
///     let mark = try snap.changeMark()          // the last audit entry's number
///     var fids: [Int64] = []
///     try snap.forEachSiteWithoutNames { fid, site in fids.append(fid) }
///     return try fids.prefix(10).compactMap { try snap.site(fid: $0) }
/// }
/// ```
/// A `SiteSnapshot` is valid only inside the closure that received it, and is used by one task
/// (the transaction's connection is not shared). Writers are never blocked by it (WAL): an
/// import committing meanwhile is seen by the next snapshot, not this one.
public final class SiteSnapshot {
    let db: Database
    private var fetcher: SiteFetch?

    init(_ db: Database) { self.db = db }

    /// A number that changes with every committed edit: the id of the last audit entry (every
    /// edit writes one in its own transaction, and ids are never reused). 0 for a store with
    /// no edit yet.
    ///
    /// - Complexity: one index probe.
    public func changeMark() throws -> Int64 {
        // Prepared once per connection: a served tile asks it on every request.
        try Int64.fetchOne(try db.cachedStatement(sql: "SELECT max(id) FROM audit_log")) ?? 0
    }

    /// The store's generalisation grid, as `SiteStore.grid()` reads it.
    public func grid() throws -> GeneralisationGrid {
        try SiteStore.recordedGrid(db) ?? GeneralisationGrid()
    }

    /// The salt of the published order, as `SiteStore.orderSalt()` reads it on a read-only
    /// store (nothing is written: without a salt, the unsalted order).
    public func orderSalt() throws -> String {
        try String.fetchOne(try db.cachedStatement(sql: "SELECT value FROM store_metadata WHERE key = ?"),
                            arguments: [SiteStore.orderSaltKey]) ?? SiteStore.unsaltedOrder
    }

    /// How many sites the store holds (to size what is built from them).
    ///
    /// - Complexity: one pass over the smallest index of `sites`, which SQLite picks.
    public func siteCount() throws -> Int {
        try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0
    }

    /// Every site with its `fid`, in `fid` order, without names: what an index over the store
    /// is built from. The page cache is held to 4 MiB meanwhile, as in `SiteStore.forEachSite`:
    /// a reader's 64 MiB filled in one pass and stayed filled (a server building its summary of
    /// a million sites peaked at 230 MiB with it, 167 MiB without).
    ///
    /// - Complexity: one pass over `sites`.
    public func forEachSiteWithoutNames(_ body: (Int64, Site) throws -> Void) throws {
        // A full scan reads each page once: a small page cache for it (ConnectionSettings).
        let cache = try ConnectionSettings.PageCache(db, kib: ConnectionSettings.scanCacheKiB)
        defer { cache.restore(db) }
        let rows = try Row.fetchCursor(db, sql: Site.selectSQL + " ORDER BY fid")
        while let row = try rows.next() {
            let fid: Int64 = row[0] ?? 0   // selectSQL starts with fid
            try body(fid, try Site(row: row))
        }
    }

    /// The earliest day and last day of each site's dated events, keyed by the site's id as
    /// upper-case UUID text.
    ///
    /// - Complexity: one pass over `site_events`.
    public func eventSpans() throws -> [UUID: (from: String, to: String)] {
        var out: [UUID: (from: String, to: String)] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT site_id, min(date_from), max(date_to) FROM site_events
            WHERE date_from IS NOT NULL AND date_to IS NOT NULL GROUP BY site_id
            """)
        while let row = try rows.next() {
            guard let text: String = row[0], let id = UUID(uuidString: text),
                  let from: String = row[1], let to: String = row[2] else { continue }
            out[id] = (from, to)
        }
        return out
    }

    /// The site stored under `fid`, names included, with the last day of its latest event;
    /// nil when there is none.
    ///
    /// - Complexity: two index probes plus one row per name and per event.
    public func site(fid: Int64) throws -> ListedSite? {
        let fetch = try fetcher ?? SiteFetch(db)
        fetcher = fetch
        guard let site = try fetch.site(fid) else { return nil }
        // Prepared once per connection (a server reads thousands of sites a page this way).
        let lastEvent = try db.cachedStatement(sql: "SELECT max(date_to) FROM site_events WHERE site_id \(SiteStore.anyCaseID)")
        let last = try String.fetchOne(lastEvent, arguments: [site.id.uuidString])
        return ListedSite(site: site, lastEventDate: last)
    }

    /// The `fid` of the site with `id`, nil when there is none.
    public func fid(of id: UUID) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT fid FROM sites WHERE uuid \(SiteStore.anyCaseID)", arguments: [id.uuidString])
    }

    /// A site's events, oldest first (undated last), as `SiteStore.events(site:)` gives them.
    public func events(site: UUID) throws -> [SiteEvent] {
        try SiteStore.events(db, site: site)
    }

    /// The source with `id`, nil when there is none.
    public func source(id: UUID) throws -> Source? {
        try SiteStore.source(db, id: id)
    }
}

extension SiteStore {
    /// Runs `body` with a snapshot of the store: every read it makes is in one read transaction.
    ///
    /// ```swift
    /// let count = try store.snapshot { snap in try snap.changeMark() }
    /// ```
    /// - Throws: `StoreError.database` naming the store for an SQLite failure; what `body` throws.
    public func snapshot<T>(_ body: (SiteSnapshot) throws -> T) throws -> T {
        try read { db in try body(SiteSnapshot(db)) }
    }
}
