import Foundation
import GRDB
import Geometry

/// Inserting, updating, deleting and reading sites. Each call is one transaction with its
/// audit entry; a failure leaves the store as it was.
extension SiteStore {
    /// Adds a site and its names.
    /// - Throws: `invalidRecord` / `invalidValue` for a site that breaks the model, `database`
    ///   when the id or (dataset, source key) is already taken.
    public func insert(_ site: Site) throws {
        try site.validate()
        try write { db in
            try db.execute(sql: Site.insertSQL, arguments: site.arguments)
            try Self.insertNames(db, site)
            if let box = site.geometry.boundingBox {
                try Self.extendExtent(db, (box.minX, box.minY, box.maxX, box.maxY))
                try Self.widenSpan(db, box.width)
            }
            try Self.audit(db, .insert, entity: "site", id: site.id.uuidString, detail: Self.jsonString(["name": site.name]))
        }
    }

    /// Replaces a stored site's fields, geometry and names with `site`'s.
    /// - Throws: `noSuchRecord` when no site has `site.id`.
    public func update(_ site: Site) throws {
        try site.validate()
        try write { db in
            try db.execute(sql: Site.updateSQL, arguments: site.updateArguments)
            guard db.changesCount == 1 else { throw StoreError.noSuchRecord(kind: "site", id: site.id.uuidString) }
            try db.execute(sql: "DELETE FROM site_names WHERE site_id = ?", arguments: [site.id.uuidString])
            try Self.insertNames(db, site)
            try Self.recomputeExtent(db)
            try Self.widenSpan(db, site.geometry.boundingBox?.width ?? 0)
            try Self.audit(db, .update, entity: "site", id: site.id.uuidString, detail: Self.jsonString(["name": site.name]))
        }
    }

    /// Deletes a site with its names, events and source links (sources themselves stay).
    /// - Throws: `noSuchRecord` when no site has `id`.
    public func deleteSite(id: UUID) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM sites WHERE uuid = ?", arguments: [id.uuidString])
            guard db.changesCount == 1 else { throw StoreError.noSuchRecord(kind: "site", id: id.uuidString) }
            try Self.recomputeExtent(db)
            try Self.audit(db, .delete, entity: "site", id: id.uuidString)
        }
    }

    /// The site with `id`, names included; nil when there is none.
    public func site(id: UUID) throws -> Site? {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: Site.selectSQL + " WHERE uuid = ?", arguments: [id.uuidString]) else {
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

    static func insertNames(_ db: Database, _ site: Site) throws {
        guard !site.names.isEmpty else { return }
        let statement = try db.cachedStatement(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, ?, ?, ?)")
        for n in site.names {
            try statement.execute(arguments: [site.id.uuidString, n.language, n.name, n.direction.rawValue])
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

    static func jsonString(_ object: [String: String]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
