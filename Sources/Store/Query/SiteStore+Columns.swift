import GRDB

/// What columns an output needs, asked of the store before the first row is written: the name
/// languages and the source attribute fields of the sites of some sensitivities.
extension SiteStore {
    /// Every language some site of the given sensitivities has a name in, sorted.
    ///
    /// ```swift
    /// try store.nameLanguages(of: AudienceView(audience: .public).sensitivities(.exact))   // ["en", "fa"]
    /// ```
    /// An empty list of sensitivities gives no languages.
    /// - Complexity: one pass over the names of those sites.
    public func nameLanguages(of sensitivities: [Sensitivity]) throws -> [String] {
        guard !sensitivities.isEmpty else { return [] }
        let marks = sensitivities.map { _ in "?" }.joined(separator: ", ")
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT DISTINCT n.lang FROM site_names n JOIN sites s ON s.uuid = n.site_id
                WHERE s.sensitivity IN (\(marks)) ORDER BY n.lang
                """, arguments: StatementArguments(sensitivities.map(\.rawValue)))
        }
    }

    /// Every field name in the source attributes of the sites of the given sensitivities: the
    /// first such site's fields in their imported order, then fields first seen on later sites.
    ///
    /// ```swift
    /// try store.sourceAttributeFields(of: [.public, .restricted])   // ["NOMBRE", "NUM", "PROVINCIA_"]
    /// ```
    /// Sites whose source attributes are not a JSON object add nothing. An empty list of
    /// sensitivities gives no fields.
    /// - Complexity: one pass over those sites' source attributes (SQLite's `json_each`).
    public func sourceAttributeFields(of sensitivities: [Sensitivity]) throws -> [String] {
        guard !sensitivities.isEmpty else { return [] }
        let marks = sensitivities.map { _ in "?" }.joined(separator: ", ")
        return try read { db in
            try String.fetchAll(db, sql: """
                SELECT j.key FROM sites s,
                  json_each(CASE WHEN json_valid(s.source_attributes) AND json_type(s.source_attributes) = 'object'
                            THEN s.source_attributes ELSE '{}' END) j
                WHERE s.sensitivity IN (\(marks)) AND s.source_attributes IS NOT NULL
                GROUP BY j.key ORDER BY min(s.fid), min(j.id)
                """, arguments: StatementArguments(sensitivities.map(\.rawValue)))
        }
    }
}
