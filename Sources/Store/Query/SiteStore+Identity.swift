import Foundation
import GRDB

/// What identifies a store's state, for an export manifest to record.
extension SiteStore {
    /// The store's file, its number of sites, its last change and its last audit entry.
    ///
    /// ```swift
    /// try store.identity()
    /// // ["path": "/data/atlas.gpkg", "sites": "1204", "last_change": "2024-05-01T09:12:44.120Z",
    /// //  "audit_entries": "37", "last_audit_at": "2024-05-01T09:12:44.120Z"]
    /// ```
    /// Every edit adds an audit entry in its own transaction, so the count and time of the last
    /// entry name the state the store was in: two exports showing the same identity read the
    /// same sites. Missing values (an empty log) are left out.
    public func identity() throws -> [String: String] {
        try read { db in
            var out = ["path": URL(fileURLWithPath: path).standardizedFileURL.path]
            out["sites"] = String(try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? 0)
            out["last_change"] = try String.fetchOne(db, sql: "SELECT max(last_change) FROM gpkg_contents")
            if let row = try Row.fetchOne(db, sql: "SELECT count(*), max(at) FROM audit_log") {
                out["audit_entries"] = String(row[0] as Int? ?? 0)
                out["last_audit_at"] = row[1] as String?
            }
            return out
        }
    }

    /// The identity of the database this store is a copy of (`graveatlas copy URL FILE`), as
    /// that database gives it (`PostGISStore.identity()`): `database` names it, and its last
    /// change is its sites' last update, as the database counts it.
    public func identity(ofDatabase name: String) throws -> [String: String] {
        try read { db in
            var out = ["database": name]
            if let row = try Row.fetchOne(db, sql: "SELECT count(*), max(updated) FROM sites") {
                out["sites"] = String(row[0] as Int? ?? 0)
                out["last_change"] = row[1] as String?
            }
            if let row = try Row.fetchOne(db, sql: "SELECT count(*), max(at) FROM audit_log") {
                out["audit_entries"] = String(row[0] as Int? ?? 0)
                out["last_audit_at"] = row[1] as String?
            }
            return out
        }
    }
}
