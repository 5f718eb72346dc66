import Foundation
import GRDB

/// One site as a full listing yields it: the site with its names, and the last day its most
/// recent event can have happened.
public struct ListedSite: Hashable, Sendable {
    public var site: Site
    /// `YYYY-MM-DD`: the latest `date_to` among the site's dated events (for a partial date,
    /// the last day it can mean); nil when the site has no dated event.
    public var lastEventDate: String?

    public init(site: Site, lastEventDate: String? = nil) {
        self.site = site
        self.lastEventDate = lastEventDate
    }
}

/// Every site, streamed: what exports read.
extension SiteStore {
    /// Calls `body` with every site, names included, in a stable order (insertion order, by
    /// `fid`), inside one read transaction, so the listing is a consistent snapshot.
    ///
    /// ```swift
    /// try store.forEachSite { listed in
    ///     print(listed.site.name, listed.lastEventDate ?? "no dated events")
    /// }
    /// ```
    /// Sites are decoded one at a time (names are merged from a second cursor walking in the
    /// same order), so memory does not grow with the store; only the sites that have dated
    /// events are held, as `uuid → last day`; the page cache is held to 4 MiB during the scan.
    /// An error thrown by `body` stops the listing and is rethrown as it is. `body` must not
    /// write to this store (the read would block it).
    /// - Complexity: O(n + m) for n sites and m names, plus O(e) for e events.
    public func forEachSite(_ body: (ListedSite) throws -> Void) throws {
        try read { db in
            // A full scan reads each page once: a small page cache for it (ConnectionSettings).
            let cache = try ConnectionSettings.PageCache(db, kib: ConnectionSettings.scanCacheKiB)
            defer { cache.restore(db) }
            let lastEvents = try Self.lastEventDates(db)
            let sites = try Row.fetchCursor(db, sql: Site.selectSQL + " ORDER BY fid")
            let names = try Row.fetchCursor(db, sql: """
                SELECT s.fid AS fid, n.lang AS lang, n.name AS name, n.direction AS direction
                FROM sites s CROSS JOIN site_names n ON n.site_id = s.uuid
                ORDER BY s.fid, n.id
                """)
            var pending: (fid: Int64, name: SiteName)? = try names.next().map(Self.listedName)
            while let row = try sites.next() {
                let fid: Int64 = row[0] ?? 0   // selectSQL starts with fid
                var site = try Site(row: row)
                while let (nameFID, name) = pending, nameFID <= fid {
                    if nameFID == fid { site.names.append(name) }
                    pending = try names.next().map(Self.listedName)
                }
                // Events name their site by the same uuid text the row holds.
                let lastEvent = lastEvents.isEmpty
                    ? nil : Site.columnIndex["uuid"].flatMap { row[$0] as String? }.flatMap { lastEvents[$0] }
                try body(ListedSite(site: site, lastEventDate: lastEvent))
            }
        }
    }

    /// Every language tag that some site has a name in, sorted.
    public func nameLanguages() throws -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT DISTINCT lang FROM site_names ORDER BY lang") }
    }

    /// The latest `date_to` of each site's events, keyed by the site's uuid text.
    static func lastEventDates(_ db: Database) throws -> [String: String] {
        var out: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: """
            SELECT site_id, max(date_to) FROM site_events WHERE date_to IS NOT NULL GROUP BY site_id
            """)
        while let row = try rows.next() {
            if let id: String = row[0], let last: String = row[1] { out[id] = last }
        }
        return out
    }

    private static func listedName(_ row: Row) -> (fid: Int64, name: SiteName) {
        // Columns by position: fid, lang, name, direction.
        (row[0] ?? 0, SiteName(language: row[1] ?? "", name: row[2] ?? "",
                               direction: ScriptDirection(rawValue: row[3] ?? "")))
    }
}
