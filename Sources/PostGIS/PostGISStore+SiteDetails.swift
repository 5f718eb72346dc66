import Foundation
import PostgresNIO
import Store

/// `graveatlas site show` on a PostGIS store: what `SiteStore.siteDetails(id:)` gives, read in one snapshot.
extension PostGISStore {
    /// The site with `id`, its events, sources and history, as the GeoPackage the database was
    /// copied from gives them.
    /// - Throws: `PostGISError` when the database cannot be read or holds a row that is not a
    ///   valid site, event or source.
    public func siteDetails(id: UUID) async throws -> SiteDetails {
        try await inTransaction(begin: Self.readSnapshot) { c in
            var binds = PostgresBindings()
            binds.append(id.uuidString)
            var site: Site?
            try await rows(c, "SELECT \(Self.siteSelect), \(Self.namesJSON) FROM sites s WHERE s.uuid = $1::uuid",
                           binds: binds, what: "read the site") { row in
                var (_, found) = try siteOf(row)
                found.names = try names(inJSON: try row[StoreTable.sites.columns.count].decode(String?.self), of: found)
                site = found
            }
            var events: [SiteEvent] = []
            var sources: [Source] = []
            if site != nil {
                events = try await self.events(site: id, c)
                var linked: [UUID] = []
                try await rows(c, """
                    SELECT upper(source_id::text) FROM site_sources WHERE site_id = $1::uuid GROUP BY source_id ORDER BY min(id)
                    """, binds: binds, what: "read the site's sources") { row in
                    if let source = UUID(uuidString: try row[0].decode(String.self)) { linked.append(source) }
                }
                for source in linked {
                    if let found = try await self.source(id: source, c) { sources.append(found) }
                }
            }
            var history: [AuditRecord] = []
            try await auditHistory(site: id, since: nil, c) { history.append($0) }
            return SiteDetails(site: site, events: events, sources: sources, history: history)
        }
    }

    /// The site's events as `SiteStore.events(site:)` orders them: by first day, undated last
    /// (days compared byte by byte, as SQLite compares them), then as stored.
    private func events(site: UUID, _ c: PostgresConnection) async throws -> [SiteEvent] {
        var binds = PostgresBindings()
        binds.append(site.uuidString)
        var rowsRead: [(id: String, type: String, date: [String?], description: String?)] = []
        let dates = PartialDate.columns.joined(separator: ", ")
        try await rows(c, """
            SELECT upper(uuid::text), event_type, \(dates), description FROM site_events WHERE site_id = $1::uuid
            ORDER BY date_from IS NULL, date_from COLLATE "C", id
            """, binds: binds, what: "read the site's events") { row in
            let n = PartialDate.columns.count
            rowsRead.append((try row[0].decode(String.self), try row[1].decode(String.self),
                             try (0..<n).map { try row[2 + $0].decode(String?.self) }, try row[2 + n].decode(String?.self)))
        }
        var events: [SiteEvent] = []
        for r in rowsRead {
            var eventBinds = PostgresBindings()
            eventBinds.append(r.id)
            var sources: [UUID] = []
            try await rows(c, "SELECT upper(source_id::text) FROM site_sources WHERE event_id = $1::uuid ORDER BY id",
                           binds: eventBinds, what: "read an event's sources") { row in
                if let source = UUID(uuidString: try row[0].decode(String.self)) { sources.append(source) }
            }
            guard let id = UUID(uuidString: r.id), let type = SiteEventType(rawValue: r.type) else {
                throw PostGISError.badRow(url: url.description, table: "site_events", key: r.id, reason: "not an event of a known type")
            }
            events.append(SiteEvent(id: id, site: site, type: type, date: PartialDate(texts: r.date), description: r.description,
                                    sources: sources))
        }
        return events
    }

    /// Every source with an evidence file (a SHA-256), in the order they were recorded, as
    /// `SiteStore.evidenceSources()` gives them: for `source verify`.
    public func evidenceSources() async throws -> [Source] {
        try await inTransaction(begin: Self.readSnapshot) { c in
            var ids: [UUID] = []
            try await rows(c, "SELECT upper(uuid::text) FROM sources WHERE sha256 IS NOT NULL ORDER BY id",
                           what: "list the sources with evidence") { row in
                if let id = UUID(uuidString: try row[0].decode(String.self)) { ids.append(id) }
            }
            var sources: [Source] = []
            for id in ids {
                if let found = try await source(id: id, c) { sources.append(found) }
            }
            return sources
        }
    }

    /// The source with `id`, or nil.
    private func source(id: UUID, _ c: PostgresConnection) async throws -> Source? {
        var binds = PostgresBindings()
        binds.append(id.uuidString)
        var found: Source?
        let dates = PartialDate.columns.joined(separator: ", ")
        try await rows(c, """
            SELECT source_type, title, reference, sha256, sensitivity, attributes, \(dates) FROM sources WHERE uuid = $1::uuid
            """, binds: binds, what: "read a source") { row in
            guard let type = SourceType(rawValue: try row[0].decode(String.self)),
                  let sensitivity = Sensitivity(rawValue: try row[4].decode(String?.self) ?? "") else {
                throw PostGISError.badRow(url: url.description, table: "sources", key: id.uuidString, reason: "not a source of a known type and sensitivity")
            }
            found = Source(id: id, type: type, title: try row[1].decode(String?.self) ?? "", reference: try row[2].decode(String?.self),
                           date: PartialDate(texts: try (0..<PartialDate.columns.count).map { try row[6 + $0].decode(String?.self) }),
                           sha256: try row[3].decode(String?.self), sensitivity: sensitivity, attributes: try row[5].decode(String?.self))
        }
        return found
    }
}
