import Geometry
import PostgresNIO
import Store

/// What an answer's columns are made from, read from the database as the GeoPackage store reads
/// it (`SiteStore.nameLanguages(of:)`, `sourceAttributeFields(of:)`, `orderSalt()`), so that the
/// same question gets the same header and the same order from either engine.
extension PostGISStore {
    /// The languages of the names of the sites of `sensitivities`.
    ///
    /// ```swift
    /// try await store.nameLanguages(of: [.public])     // ["en", "fa"]
    /// ```
    public func nameLanguages(of sensitivities: [Sensitivity]) async throws -> [String] {
        guard !sensitivities.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(sensitivities.map(\.rawValue))
        return try await withConnection { c in
            var out: [String] = []
            try await rows(c, """
                SELECT DISTINCT n.lang FROM site_names n JOIN sites s ON s.uuid = n.site_id
                WHERE s.sensitivity = ANY($1)
                """, binds: binds, what: "read the languages of site names") { row in
                out.append(try row[0].decode(String.self))
            }
            // In byte order, as SQLite sorts them (the database's collation may not).
            return out.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        }
    }

    /// Every field name in the source attributes of the sites of `sensitivities`: the first such
    /// site's fields in their imported order, then fields first seen on later sites (by `fid`).
    /// Attributes that are not a JSON object add none.
    ///
    /// The attributes are read through and parsed here rather than by the database's `json`
    /// type, which stops the query at the first text that is not JSON (an edit outside
    /// GraveAtlas); the GeoPackage store skips such text, and so does this.
    /// - Complexity: one pass over the attributes of those sites.
    public func sourceAttributeFields(of sensitivities: [Sensitivity]) async throws -> [String] {
        guard !sensitivities.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(sensitivities.map(\.rawValue))
        return try await withConnection { c in
            var out: [String] = [], seen = Set<String>()
            try await rows(c, """
                SELECT source_attributes FROM sites
                WHERE sensitivity = ANY($1) AND source_attributes IS NOT NULL ORDER BY fid
                """, binds: binds, what: "read the sites' source attributes") { row in
                guard let text = try row[0].decode(String?.self),
                      case .object(let object)? = try? JSONValue(parsing: text) else { return }
                for key in object.keys where seen.insert(key).inserted { out.append(key) }
            }
            return out
        }
    }

    /// The salt of the order that ties among generalised sites are listed in (`PublishedOrder`).
    public func orderSalt() async throws -> String {
        try await withConnection { c in SiteStore.orderSalt(recorded: try await settings(c)) }
    }
}
