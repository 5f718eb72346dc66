import Foundation
import GRDB

/// A dated event an import records for the site of a record, with the source that reports it.
///
/// ```swift
/// ImportedEvent(type: .damaged, date: try PartialDate(parsing: "2003/2017"),
///               source: .init(title: "Criminal Cover-Up (2018)", type: .document, sensitivity: .public))
/// ```
public struct ImportedEvent: Hashable, Sendable {
    /// A source named by its type and title (an import knows no more of it).
    public struct Citation: Hashable, Sendable {
        public var title: String
        public var type: SourceType
        /// The sensitivity a new source gets; a stored source keeps its own.
        public var sensitivity: Sensitivity

        public init(title: String, type: SourceType = .document, sensitivity: Sensitivity = .restricted) {
            self.title = title
            self.type = type
            self.sensitivity = sensitivity
        }
    }

    public var type: SiteEventType
    public var date: PartialDate
    public var description: String?
    public var source: Citation?

    public init(type: SiteEventType, date: PartialDate, description: String? = nil, source: Citation? = nil) {
        self.type = type
        self.date = date
        self.description = description
        self.source = source
    }
}

extension SiteImportBatch {
    /// Records `events` for the site `site` (the id a `write` returned), each once.
    ///
    /// An event is the stored event of the site with the same type and date (its ISO form) when
    /// there is one, else new; a changed description updates it. Its source is the stored source
    /// of the same type and title (the first), else a new one with the citation's sensitivity;
    /// it is linked to the event once. So importing a file again adds nothing. Each event or
    /// source added, and each event updated, has its audit entry.
    /// - Throws: database errors (the batch's transaction then rolls back whole).
    /// - Complexity: one indexed lookup per event; a title's first lookup scans `sources`.
    public func record(_ events: [ImportedEvent], site: UUID) throws {
        guard !events.isEmpty else { return }
        let siteID = try SiteStore.reference(db, to: "sites", site)
        var touched = false
        for event in events {
            let sourceID = try event.source.map { try citedSource($0) }
            let find = try db.cachedStatement(sql: """
                SELECT uuid, description FROM site_events WHERE site_id = ? AND event_type = ? AND date_iso = ? ORDER BY id LIMIT 1
                """)
            let eventID: String
            if let row = try Row.fetchOne(find, arguments: [siteID, event.type.rawValue, event.date.iso]) {
                eventID = row["uuid"]
                if (row["description"] as String?) != event.description {
                    try change.capture(.event, eventID)
                    try db.execute(sql: "UPDATE site_events SET description = ? WHERE uuid = ?", arguments: [event.description, eventID])
                    try change.capture(.event, eventID, action: "update",
                                       detail: SiteStore.jsonString(["description": event.description ?? ""]))
                    eventsUpdated += 1
                    touched = true
                }
            } else {
                let added = SiteEvent(id: .timeOrdered(), site: site, type: event.type, date: event.date,
                                      description: event.description)
                eventID = added.id.uuidString
                try SiteStore.insertEvent(db, added, change: change)
                eventsAdded += 1
                touched = true
            }
            guard let sourceID else { continue }
            let linked = try Bool.fetchOne(db, sql: """
                SELECT EXISTS (SELECT 1 FROM site_sources WHERE event_id = ? AND source_id = ?)
                """, arguments: [eventID, sourceID]) ?? false
            if !linked {
                try change.capture(.event, eventID)
                try db.execute(sql: "INSERT INTO site_sources (site_id, source_id, event_id) VALUES (?, ?, ?)",
                               arguments: [siteID, sourceID, eventID])
                touched = true
            }
        }
        if touched {
            for table in ["site_events", "site_sources"] { try SiteStore.touch(db, table: table) }
        }
    }

    /// The stored id of the source `citation` names, added when the store has none.
    private func citedSource(_ citation: ImportedEvent.Citation) throws -> String {
        let key = "\(citation.type.rawValue) \(citation.title)"
        if let known = citedSources[key] { return known }
        let id: String
        if let stored = try String.fetchOne(db, sql: "SELECT uuid FROM sources WHERE source_type = ? AND title = ? ORDER BY id LIMIT 1",
                                            arguments: [citation.type.rawValue, citation.title]) {
            id = stored
        } else {
            let source = Source(id: .timeOrdered(), type: citation.type, title: citation.title, sensitivity: citation.sensitivity)
            try source.validate()
            id = source.id.uuidString
            try change.capture(.source, id)
            try db.execute(sql: "INSERT INTO sources (uuid, source_type, title, sensitivity) VALUES (?, ?, ?, ?)",
                           arguments: [id, citation.type.rawValue, citation.title, citation.sensitivity.rawValue])
            try SiteStore.touch(db, table: "sources")
            sourcesAdded += 1
        }
        citedSources[key] = id
        return id
    }
}
