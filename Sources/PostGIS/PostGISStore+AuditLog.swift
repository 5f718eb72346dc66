import Foundation
import PostgresNIO
import Store

/// `graveatlas audit log` on a PostGIS store: the history `SiteStore.auditHistory` gives, read
/// in one snapshot.
extension PostGISStore {
    /// The audit history, oldest first, streamed to `body`, as `SiteStore.auditHistory` gives it
    /// for the GeoPackage the database was copied from.
    ///
    /// - Parameters:
    ///   - site: only the entries that name or list the site or one of its events (each row as
    ///     that entry lists it); a site deleted since is found by the entries that list it.
    ///   - since: only entries at or after this time, compared as text byte by byte (as SQLite
    ///     compares it, whatever the database's collation).
    /// - Throws: `PostGISError` when the database cannot be read.
    public func auditHistory(site: UUID?, since: String?, _ body: (AuditRecord) throws -> Void) async throws {
        try await inTransaction(begin: Self.readSnapshot) { c in
            try await auditHistory(site: site, since: since, c, body)
        }
    }

    /// `auditHistory(site:since:_:)` in the caller's transaction on `c`.
    func auditHistory(site: UUID?, since: String?, _ c: PostgresConnection, _ body: (AuditRecord) throws -> Void) async throws {
        do {
            var binds = PostgresBindings()
            let sql: String
            if let site {
                let ids = try await historyIDs(ofSite: site, c)
                guard !ids.isEmpty else { return }
                // The entries name a row as the GeoPackage stored its id, in upper or lower case.
                binds.append(ids.flatMap { [$0.uppercased(), $0.lowercased()] })
                binds.append(since)
                // NULLs first, as SQLite orders them.
                sql = """
                    SELECT l.seq, l.at, l."by", coalesce(i.action, l.action), coalesce(i.entity, l.entity),
                      coalesce(i.entity_id, l.entity_id), coalesce(i.detail, l.detail), coalesce(i.before, l.before),
                      coalesce(i.after, l.after), l.pre_chain, l.hash
                    FROM audit_log l LEFT JOIN audit_items i ON i.seq = l.seq AND i.entity_id COLLATE "C" = ANY($1)
                    WHERE (l.entity_id COLLATE "C" = ANY($1) OR i.id IS NOT NULL) AND ($2::text IS NULL OR l.at COLLATE "C" >= $2)
                    ORDER BY l.seq NULLS FIRST, i.id NULLS FIRST
                    """
            } else {
                binds.append(since)
                sql = """
                    SELECT seq, at, "by", action, entity, entity_id, detail, before, after, pre_chain, hash FROM audit_log
                    WHERE $1::text IS NULL OR at COLLATE "C" >= $1 ORDER BY seq NULLS FIRST
                    """
            }
            try await rows(c, sql, binds: binds, what: "read the audit log") { row in
                try body(AuditRecord(
                    seq: try row[0].decode(Int64?.self) ?? 0, at: try row[1].decode(String?.self) ?? "",
                    by: try row[2].decode(String?.self), action: try row[3].decode(String?.self) ?? "",
                    entity: try row[4].decode(String?.self) ?? "", entityID: try row[5].decode(String?.self),
                    detail: try row[6].decode(String?.self), before: try row[7].decode(String?.self),
                    after: try row[8].decode(String?.self), preChain: (try row[9].decode(Int64?.self) ?? 0) != 0,
                    hash: try row[10].decode(String?.self)))
            }
        }
    }

    /// The ids of site `id` and of its events; the site's id alone when it is gone but entries
    /// list it; empty when neither (as `SiteStore.historyIDs`).
    private func historyIDs(ofSite id: UUID, _ c: PostgresConnection) async throws -> [String] {
        var binds = PostgresBindings()
        binds.append(id.uuidString)
        var found = false
        try await rows(c, "SELECT 1 FROM sites WHERE uuid = $1::uuid", binds: binds, what: "find the site") { _ in found = true }
        var ids: [String] = []
        if found {
            ids.append(id.uuidString)
            try await rows(c, "SELECT upper(uuid::text) FROM site_events WHERE site_id = $1::uuid", binds: binds,
                           what: "find the site's events") { row in
                ids.append(try row[0].decode(String.self))
            }
        } else {
            try await rows(c, "SELECT DISTINCT entity_id FROM audit_items WHERE entity = 'site' AND entity_id IN ($1, lower($1))",
                           binds: binds, what: "find the site in the audit log") { row in
                ids.append(try row[0].decode(String.self))
            }
        }
        return ids
    }
}
