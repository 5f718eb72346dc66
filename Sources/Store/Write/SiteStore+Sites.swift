import Foundation
import GRDB
import Geometry

/// Inserting, updating, deleting and reading sites. Each call is one transaction with its
/// audit entry; a failure leaves the store as it was.
extension SiteStore {
    /// Adds a site and its names.
    /// - Parameter by: who the audit entry names (default: the user name, `Auditor.current`).
    /// - Throws: `invalidRecord` / `invalidValue` for a site that breaks the model, `database`
    ///   when the id or (dataset, source key) is already taken.
    public func insert(_ site: Site, by: String? = nil) throws {
        try site.validate()
        try write { db in
            let change = AuditChange(db, action: "insert", by: by)
            try change.capture(.site, site.id.uuidString)
            try db.execute(sql: Site.insertSQL, arguments: site.arguments)
            try Self.insertNames(db, site, siteID: site.id.uuidString)
            if let box = site.geometry.boundingBox {
                try Self.extendExtent(db, (box.minX, box.minY, box.maxX, box.maxY))
                try Self.widenSpan(db, box.width)
            }
            try change.commit(entity: "site", id: site.id.uuidString, detail: Self.jsonString(["name": site.name]), always: true)
        }
    }

    /// Replaces a stored site's fields, geometry and names with `site`'s.
    /// - Throws: `noSuchRecord` when no site has `site.id`.
    public func update(_ site: Site, by: String? = nil) throws {
        try site.validate()
        try write { db in
            guard let stored = try Self.storedID(db, ofSite: site.id) else {
                throw StoreError.noSuchRecord(kind: "site", id: site.id.uuidString)
            }
            let change = AuditChange(db, action: "update", by: by)
            try change.capture(.site, stored)
            try db.execute(sql: Site.updateSQL, arguments: site.updateArguments(storedID: stored))
            try db.execute(sql: "DELETE FROM site_names WHERE site_id = ?", arguments: [stored])
            try Self.insertNames(db, site, siteID: stored)
            try Self.recomputeExtent(db)
            try Self.widenSpan(db, site.geometry.boundingBox?.width ?? 0)
            try change.commit(entity: "site", id: stored, detail: Self.jsonString(["name": site.name]), always: true)
        }
    }

    /// Deletes a site with its names, events and source links (sources themselves stay); its
    /// audit entry lists the site and each of its events.
    /// - Throws: `noSuchRecord` when no site has `id`.
    public func deleteSite(id: UUID, by: String? = nil) throws {
        try write { db in
            guard let stored = try Self.storedID(db, ofSite: id) else { throw StoreError.noSuchRecord(kind: "site", id: id.uuidString) }
            let change = AuditChange(db, action: "delete", by: by)
            try change.capture(.site, stored)
            for event in try String.fetchAll(db, sql: "SELECT uuid FROM site_events WHERE site_id = ?", arguments: [stored]) {
                try change.capture(.event, event)
            }
            try db.execute(sql: "DELETE FROM sites WHERE uuid = ?", arguments: [stored])
            try Self.recomputeExtent(db)
            try change.commit(entity: "site", id: stored, detail: nil, always: true)
        }
    }

    /// The site with `id`, names included; nil when there is none.
    public func site(id: UUID) throws -> Site? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: Site.selectSQL + " WHERE uuid \(Self.anyCaseID)", arguments: [id.uuidString]) else {
                return nil
            }
            var site = try Site(row: row)
            site.names = try Self.names(db, storedID: row[Site.columnIndex["uuid"] ?? 0] ?? id.uuidString)
            return site
        }
    }

    /// Number of sites.
    public func siteCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0 }
    }

    /// An id column's test against the id bound to `?1` in either case: GraveAtlas writes ids
    /// in upper case, as `UUID` spells them; another tool may have written one in lower case.
    /// (Two searches of the column's index.) `"WHERE uuid \(SiteStore.anyCaseID)"`.
    static let anyCaseID = "IN (?1, lower(?1))"

    /// The id of site `id` as stored (see `anyCaseID`), or nil when no site has it.
    static func storedID(_ db: Database, ofSite id: UUID) throws -> String? {
        try storedID(db, in: "sites", id)
    }

    /// `storedID(_:ofSite:)` for a row of `sites`, `sources` or `site_events`.
    static func storedID(_ db: Database, in table: String, _ id: UUID) throws -> String? {
        try String.fetchOne(db, sql: "SELECT uuid FROM \(table) WHERE uuid \(anyCaseID)", arguments: [id.uuidString])
    }

    /// The id to write in a reference to row `id` of `table`: as stored, or as `UUID` spells
    /// it when there is no such row (the foreign key then refuses the reference).
    static func reference(_ db: Database, to table: String, _ id: UUID) throws -> String {
        try storedID(db, in: table, id) ?? id.uuidString
    }

    /// Writes `site`'s names for the site whose id is stored as `siteID`.
    static func insertNames(_ db: Database, _ site: Site, siteID: String) throws {
        guard !site.names.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, ?, ?, ?)")
        for n in site.names {
            try statement.execute(arguments: [siteID, n.language, n.name, n.direction.rawValue])
        }
    }

    /// The other names of the site whose `uuid` column holds `storedID` (as stored, whatever
    /// its case), in the order they were added: one fixed statement, an index probe.
    static func names(_ db: Database, storedID: String) throws -> [SiteName] {
        let select = try RawStatement(cached: db, "SELECT lang, name, direction FROM site_names WHERE site_id = ? ORDER BY id")
        select.bind(1, storedID)
        var names: [SiteName] = []
        while try select.step() {
            names.append(SiteName(language: select.text(0), name: select.text(1),
                                  direction: ScriptDirection(rawValue: select.text(2))))
        }
        return names
    }

    /// An audit detail: the object's JSON text (Geometry's `JSONText`), keys sorted.
    static func jsonString(_ object: [String: String]) -> String? {
        JSONValue.object(JSONObject(object.map { JSONObject.Member($0.key, .string($0.value)) })).sortingKeys().encoded()
    }
}
