import Foundation
import GRDB

/// Sources, dated events and the links between them and sites. Each call is one transaction
/// with its audit entry.
extension SiteStore {
    /// Adds a source.
    /// - Parameter by: who the audit entry names (default: the user name, `Auditor.current`).
    public func insert(_ source: Source, by: String? = nil) throws {
        try source.validate()
        try write { db in
            let change = AuditChange(db, action: "insert", by: by)
            try change.capture(.source, source.id.uuidString)
            try Self.insertSourceRow(db, source)
            try Self.touch(db, table: "sources")
            try change.commit(entity: "source", id: source.id.uuidString, detail: nil, always: true)
        }
    }

    /// Writes `source`'s row on `db`, in the caller's transaction and audit change; the caller
    /// has validated it and marks `sources` changed (`touch`).
    static func insertSourceRow(_ db: Database, _ source: Source) throws {
        try db.execute(sql: """
            INSERT INTO sources (uuid, source_type, title, reference, date_text, date_calendar, date_precision,
              date_iso, date_from, date_to, sha256, sensitivity, attributes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: StatementArguments(Self.sourceValues(source)))
    }

    /// Replaces a stored source's fields.
    public func update(_ source: Source, by: String? = nil) throws {
        try source.validate()
        try write { db in
            guard let stored = try Self.storedID(db, in: "sources", source.id) else {
                throw StoreError.noSuchRecord(kind: "source", id: source.id.uuidString)
            }
            let change = AuditChange(db, action: "update", by: by)
            try change.capture(.source, stored)
            let values = Self.sourceValues(source)
            try db.execute(sql: """
                UPDATE sources SET source_type = ?, title = ?, reference = ?, date_text = ?, date_calendar = ?,
                  date_precision = ?, date_iso = ?, date_from = ?, date_to = ?, sha256 = ?, sensitivity = ?,
                  attributes = ?
                WHERE uuid = ?
                """, arguments: StatementArguments(Array(values.dropFirst()) + [stored]))
            try Self.touch(db, table: "sources")
            try change.commit(entity: "source", id: stored, detail: nil, always: true)
        }
    }

    /// Deletes a source and its links to sites and events.
    public func deleteSource(id: UUID, by: String? = nil) throws {
        try delete(.source, id: id, by: by)
    }

    /// The source with `id`, or nil.
    public func source(id: UUID) throws -> Source? {
        try read { db in try Self.source(db, id: id) }
    }

    /// The source with `id` read on `db`, or nil.
    static func source(_ db: Database, id: UUID) throws -> Source? {
        let sql = "SELECT * FROM sources WHERE uuid \(Self.anyCaseID)"
        guard let row = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: [id.uuidString]) else { return nil }
        return Source(
            id: id, type: try SourceType(validating: row["source_type"] ?? ""), title: row["title"] ?? "",
            reference: row["reference"], date: PartialDate(row: row), sha256: row["sha256"],
            sensitivity: try Sensitivity(validating: row["sensitivity"] ?? ""), attributes: row["attributes"])
    }

    /// Adds a dated event to a site, linking it to its sources.
    public func insert(_ event: SiteEvent, by: String? = nil) throws {
        try write { db in
            let change = AuditChange(db, action: "insert", by: by)
            try Self.insertEvent(db, event, change: change)
            try Self.touch(db, table: "site_events")
            try change.commit(entity: "event", id: event.id.uuidString, detail: nil, always: true)
        }
    }

    /// Adds `event` on `db` (in the caller's transaction) with its source links, noted in
    /// `change`; the caller marks `site_events` changed (`touch`) and commits `change`.
    static func insertEvent(_ db: Database, _ event: SiteEvent, change: AuditChange) throws {
        try change.capture(.event, event.id.uuidString)
        try db.execute(sql: """
            INSERT INTO site_events (uuid, site_id, event_type, date_text, date_calendar, date_precision,
              date_iso, date_from, date_to, description)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: StatementArguments(try eventValues(db, event)))
        try linkEventSources(db, event, eventID: event.id.uuidString)
    }

    /// Replaces a stored event's fields and source links.
    public func update(_ event: SiteEvent, by: String? = nil) throws {
        try write { db in
            guard let stored = try Self.storedID(db, in: "site_events", event.id) else {
                throw StoreError.noSuchRecord(kind: "event", id: event.id.uuidString)
            }
            let change = AuditChange(db, action: "update", by: by)
            try change.capture(.event, stored)
            let values = try Self.eventValues(db, event)
            try db.execute(sql: """
                UPDATE site_events SET site_id = ?, event_type = ?, date_text = ?, date_calendar = ?,
                  date_precision = ?, date_iso = ?, date_from = ?, date_to = ?, description = ?
                WHERE uuid = ?
                """, arguments: StatementArguments(Array(values.dropFirst()) + [stored]))
            try db.execute(sql: "DELETE FROM site_sources WHERE event_id = ?", arguments: [stored])
            try Self.linkEventSources(db, event, eventID: stored)
            try Self.touch(db, table: "site_events")
            try change.commit(entity: "event", id: stored, detail: nil, always: true)
        }
    }

    /// Deletes an event (and its source links).
    public func deleteEvent(id: UUID, by: String? = nil) throws {
        try delete(.event, id: id, by: by)
    }

    /// Deletes the record of `kind` with `id` (its links go with it: the foreign keys
    /// cascade). The audit entry lists it and, for a source, each site and event whose links
    /// to it went (their content changed).
    /// - Throws: `StoreError.noSuchRecord` when no record has that id.
    private func delete(_ kind: AuditedKind, id: UUID, by: String?) throws {
        try write { db in
            guard let stored = try Self.storedID(db, in: kind.table, id) else {
                throw StoreError.noSuchRecord(kind: kind.rawValue, id: id.uuidString)
            }
            let change = AuditChange(db, action: "delete", by: by)
            try change.capture(kind, stored)
            if kind == .source {
                for row in try Row.fetchAll(db, sql: "SELECT site_id, event_id FROM site_sources WHERE source_id = ?", arguments: [stored]) {
                    if let event: String = row[1] { try change.capture(.event, event) } else if let site: String = row[0] { try change.capture(.site, site) }
                }
            }
            try db.execute(sql: "DELETE FROM \(kind.table) WHERE uuid = ?", arguments: [stored])
            try Self.touch(db, table: kind.table)
            try change.commit(entity: kind.rawValue, id: stored, detail: nil, always: true)
        }
    }

    /// A site's events, oldest first (undated last), with their sources.
    public func events(site: UUID) throws -> [SiteEvent] {
        try read { db in try Self.events(db, site: site) }
    }

    /// A site's events as `events(site:)` gives them, read on `db` (in the caller's transaction).
    static func events(_ db: Database, site: UUID) throws -> [SiteEvent] {
        // Statements prepared once per connection: a server page reads the events of every site on it.
        let select = try db.cachedStatement(sql: """
            SELECT * FROM site_events WHERE site_id \(Self.anyCaseID) ORDER BY date_from IS NULL, date_from, id
            """)
        let rows = try Row.fetchAll(select, arguments: [site.uuidString])
        let sourcesOf = try db.cachedStatement(sql: "SELECT source_id FROM site_sources WHERE event_id = ? ORDER BY id")
        return try rows.map { row in
            let id: String = row["uuid"] ?? ""
            let sources = try String.fetchAll(sourcesOf, arguments: [id])
            return SiteEvent(
                id: UUID(uuidString: id) ?? UUID(), site: site,
                type: try SiteEventType(validating: row["event_type"] ?? ""), date: PartialDate(row: row),
                description: row["description"], sources: sources.compactMap(UUID.init(uuidString:)))
        }
    }

    /// Links a source to a site (optionally to one of its events).
    /// The link is content of the event when it names one, else of the site (`AuditedKind`):
    /// the audit entry lists that row.
    public func link(site: UUID, source: UUID, event: UUID? = nil, note: String? = nil, by: String? = nil) throws {
        try write { db in
            let change = AuditChange(db, action: "update", by: by)
            if let event {
                try change.capture(.event, try Self.reference(db, to: "site_events", event))
            } else {
                try change.capture(.site, try Self.reference(db, to: "sites", site))
            }
            try db.execute(sql: "INSERT INTO site_sources (site_id, source_id, event_id, note) VALUES (?, ?, ?, ?)",
                           arguments: [try Self.reference(db, to: "sites", site), try Self.reference(db, to: "sources", source),
                                       try event.map { try Self.reference(db, to: "site_events", $0) }, note])
            try Self.touch(db, table: "site_sources")
            try change.commit(entity: "site_source", id: site.uuidString,
                              detail: Self.jsonString(["link": "added", "source": source.uuidString]), always: true)
        }
    }

    /// The sources linked to a site (directly or through its events), in link order.
    public func sources(site: UUID) throws -> [UUID] {
        try read { db in
            try String.fetchAll(db, sql: """
                SELECT source_id FROM site_sources WHERE site_id \(Self.anyCaseID) GROUP BY source_id ORDER BY min(id)
                """, arguments: [site.uuidString]).compactMap(UUID.init(uuidString:))
        }
    }

    /// Links `event`'s sources to it (stored as `eventID`) and to its site, each named by its
    /// id as stored.
    private static func linkEventSources(_ db: Database, _ event: SiteEvent, eventID: String) throws {
        let site = try reference(db, to: "sites", event.site)
        for source in event.sources {
            try db.execute(sql: "INSERT INTO site_sources (site_id, source_id, event_id) VALUES (?, ?, ?)",
                           arguments: [site, try reference(db, to: "sources", source), eventID])
        }
    }

    private static func sourceValues(_ s: Source) -> [(any DatabaseValueConvertible)?] {
        [s.id.uuidString, s.type.rawValue, s.title, s.reference] + s.date.columnValues
            + [s.sha256, s.sensitivity.rawValue, s.attributes]
    }

    /// An event's columns, its site named by the site's id as stored (`reference`).
    private static func eventValues(_ db: Database, _ e: SiteEvent) throws -> [(any DatabaseValueConvertible)?] {
        [e.id.uuidString, try reference(db, to: "sites", e.site), e.type.rawValue] + e.date.columnValues + [e.description]
    }
}
