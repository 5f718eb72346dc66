import Foundation

/// One site with everything the store holds about it, as `graveatlas site show` shows it (the
/// internal view: every field exact, whatever the site's sensitivity).
public struct SiteDetails: Sendable {
    /// Nil when no site has the id (its history may still name it).
    public var site: Site?
    /// Oldest first, undated last, each with its sources.
    public var events: [SiteEvent]
    /// The sources linked to the site or its events, in link order.
    public var sources: [Source]
    public var history: [AuditRecord]

    public init(site: Site?, events: [SiteEvent], sources: [Source], history: [AuditRecord]) {
        self.site = site
        self.events = events
        self.sources = sources
        self.history = history
    }
}

extension SiteStore {
    /// The site with `id`, its events, its sources and its audit history (`PostGISStore`
    /// gives the same from a database).
    public func siteDetails(id: UUID) throws -> SiteDetails {
        let site = try self.site(id: id)
        let events = site == nil ? [] : try self.events(site: id)
        var sources: [Source] = []
        if site != nil {
            for s in try self.sources(site: id) { if let source = try source(id: s) { sources.append(source) } }
        }
        var history: [AuditRecord] = []
        try auditHistory(ids: try historyIDs(ofSite: id)) { history.append($0) }
        return SiteDetails(site: site, events: events, sources: sources, history: history)
    }
}
