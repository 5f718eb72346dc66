import Foundation
import Geometry
import PostgresNIO
import Store

/// Every site of a PostGIS store, streamed as the GeoPackage store's listings stream them
/// (`SiteStore.forEachSite`): what exports read.
extension PostGISStore {
    /// Calls `body` with every site, names and last event date included, in store order (by
    /// `fid`), inside one read-only transaction at `REPEATABLE READ`: a consistent snapshot,
    /// whatever is written meanwhile.
    ///
    /// ```swift
    /// try await store.forEachSite { listed in try await out.send(listed) }
    /// ```
    /// Rows stream from the server as `body` takes them: memory holds one row at a time.
    /// - Throws: `PostGISError` for a failed statement; what `body` throws, after which the
    ///   transaction is rolled back and the connection closed.
    public func forEachSite(_ body: (ListedSite) async throws -> Void) async throws {
        try await inTransaction(begin: Self.readSnapshot) { c in
            try await listed(c, from: "sites s", order: "s.fid", binds: PostgresBindings(), body)
        }
    }

    /// Calls `body` with every site for which `key` gives a value, in ascending key order (ties
    /// in store order), as `SiteStore.forEachSite(orderedBy:_:)` does, in one snapshot.
    ///
    /// ```swift
    /// try await store.forEachSite(orderedBy: { order.key(for: $0) }) { listed in … }
    /// ```
    /// Two passes, as on the GeoPackage: the first reads each site (without names) and keeps
    /// its key and `fid`; the keys are sorted here; the second asks for the sites in that order
    /// (the `fid`s sent as one array, `WITH ORDINALITY`) and streams them, names included.
    /// Memory holds the (key, fid) pairs and the array, never whole sites.
    public func forEachSite<Key: Comparable>(orderedBy key: (Site) throws -> Key?,
                                             _ body: (ListedSite) async throws -> Void) async throws {
        try await inTransaction(begin: Self.readSnapshot) { c in
            var keyed: [(key: Key, fid: Int64)] = []
            let sql = "SELECT \(Self.siteSelect) FROM sites s ORDER BY s.fid"
            try await streamed(c, sql, binds: PostgresBindings(), what: "read the sites") { row in
                let (fid, site) = try siteOf(row)
                if let k = try key(site) { keyed.append((k, fid)) }
            }
            // Stable on ties: fid breaks them, so the order is a function of the keys alone.
            keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid }
            var binds = PostgresBindings()
            binds.append(keyed.map(\.fid))
            try await listed(c, from: "unnest($1::bigint[]) WITH ORDINALITY AS o(fid, ord) JOIN sites s ON s.fid = o.fid",
                             order: "o.ord", binds: binds, body)
        }
    }

    /// What an export manifest records of the store's state, as `SiteStore.identity()` does:
    /// the database (its URL without a password), its number of sites, its last change (the
    /// latest time a site was written) and its audit log's length and last time.
    public func identity() async throws -> [String: String] {
        try await inTransaction(begin: Self.readSnapshot) { c in
            var out = ["database": url.description]
            try await rows(c, "SELECT count(*), max(updated COLLATE \"C\") FROM sites", what: "count the sites") { row in
                out["sites"] = String((try? row[0].decode(Int64.self)) ?? 0)
                out["last_change"] = try? row[1].decode(String?.self)
            }
            try await rows(c, "SELECT count(*), max(at COLLATE \"C\") FROM audit_log", what: "read the audit log's length") { row in
                out["audit_entries"] = String((try? row[0].decode(Int64.self)) ?? 0)
                out["last_audit_at"] = try? row[1].decode(String?.self)
            }
            return out.compactMapValues { $0 }
        }
    }

    /// The hash of the audit chain's last entry (`SiteStore.auditHead()`), nil when it has none.
    public func auditHead() async throws -> String? {
        try await withConnection { c in
            var head: String?
            try await rows(c, "SELECT hash FROM audit_log WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1",
                           what: "read the audit chain's head") { row in
                head = try? row[0].decode(String?.self)
            }
            return head
        }
    }

    /// `BEGIN` for a read that sees one state of the database from its first statement to its last.
    static let readSnapshot = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

    /// The columns of `StoreTable.sites` as `value(_:_:table:key:)` reads them, from `s`.
    static var siteSelect: String {
        StoreTable.sites.columns.map { column -> String in
            switch column.kind {
            case .uuid: return "upper(s.\(column.name)::text)"
            case .geometry: return "ST_AsBinary(s.\(column.name), 'NDR')"
            default: return "s.\(StoreTable.quoted(column.name))"
            }
        }.joined(separator: ", ")
    }

    /// The names of site `s` as one JSON array of `[lang, name, direction]`, in the order they
    /// were stored (NULL for none): read with the site's row by `names(inJSON:of:)`.
    static let namesJSON = """
        (SELECT json_agg(json_build_array(n.lang, n.name, n.direction) ORDER BY n.id)::text
         FROM site_names n WHERE n.site_id = s.uuid)
        """

    /// The site (without names) and `fid` of a row selected with `siteSelect` first.
    func siteOf(_ row: PostgresRandomAccessRow) throws -> (fid: Int64, site: Site) {
        let table = StoreTable.sites
        var values: [StoredValue] = []
        values.reserveCapacity(table.columns.count)
        for (index, column) in table.columns.enumerated() {
            values.append(try value(row[index], column, table: table, key: values.first))
        }
        guard case .integer(let fid) = values[0] else {
            throw PostGISError.badRow(url: url.description, table: table.name, key: "?", reason: "fid is empty")
        }
        return (fid, try Site(stored: values))
    }

    /// The sites `from` joins (the sites table as `s`), in `order`, each with its names (in the
    /// order stored) and its last event date, handed to `body` as they arrive.
    private func listed(_ c: PostgresConnection, from: String, order: String, binds: PostgresBindings,
                        _ body: (ListedSite) async throws -> Void) async throws {
        // Names as one JSON array a site, in the order they were stored; the last event date
        // as SQLite's max() over text compares it, byte by byte.
        let sql = """
            SELECT \(Self.siteSelect), \(Self.namesJSON),
              (SELECT max(e.date_to COLLATE "C") FROM site_events e WHERE e.site_id = s.uuid AND e.date_to IS NOT NULL)
            FROM \(from) ORDER BY \(order)
            """
        let width = StoreTable.sites.columns.count
        try await streamed(c, sql, binds: binds, what: "list the sites") { row in
            var (_, site) = try siteOf(row)
            site.names = try names(inJSON: try row[width].decode(String?.self), of: site)
            try await body(ListedSite(site: site, lastEventDate: try row[width + 1].decode(String?.self)))
        }
    }

    /// The names a listing's JSON array holds: `[lang, name, direction]` each.
    func names(inJSON text: String?, of site: Site) throws -> [SiteName] {
        guard let text else { return [] }
        guard case .array(let entries)? = try? JSONValue(parsing: text) else {
            throw PostGISError.badRow(url: url.description, table: "site_names", key: site.id.text, reason: "its names could not be read")
        }
        return try entries.map { entry in
            guard case .array(let parts) = entry, parts.count == 3, case .string(let lang) = parts[0],
                  case .string(let name) = parts[1] else {
                throw PostGISError.badRow(url: url.description, table: "site_names", key: site.id.text,
                                          reason: "a name without its language or text")
            }
            var direction: ScriptDirection?
            if case .string(let word) = parts[2] { direction = ScriptDirection(rawValue: word) }
            return SiteName(language: lang, name: name, direction: direction)
        }
    }

    /// Runs one query and hands each row to `body`, which may suspend: rows come from the server
    /// as `body` takes them. A failure names `what` was being done; what `body` throws passes
    /// through unchanged.
    func streamed(_ c: PostgresConnection, _ sql: String, binds: PostgresBindings, what: String,
                  _ body: (PostgresRandomAccessRow) async throws -> Void) async throws {
        let sequence: PostgresRowSequence
        do {
            sequence = try await c.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        } catch {
            throw PostGISError.statement(url: url.description, statement: what, reason: Self.reason(error))
        }
        var iterator = sequence.makeAsyncIterator()
        while true {
            let next: PostgresRow?
            do {
                next = try await iterator.next()
            } catch {
                throw PostGISError.statement(url: url.description, statement: what, reason: Self.reason(error))
            }
            guard let row = next else { return }
            try await body(row.makeRandomAccess())
        }
    }
}
