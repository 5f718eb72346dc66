import Foundation

/// Finds the source fields that stand for site fields when there is no mapping file: each
/// field's `recognisedNames` in the site model's table, in the languages GraveAtlas's users
/// write (English, Spanish, French, Persian, Arabic …).
///
/// ```swift
/// FieldRecognition.field(for: .name, in: ["FOSA_ID", "Nombre", "Estado"])   // "Nombre"
/// ```
/// Matching ignores case and surrounding spaces; the first source field that matches wins.
enum FieldRecognition {
    static func field(for site: SiteField, in sourceFields: [String]) -> String? {
        let candidates = site.definition.recognisedNames
        if candidates.isEmpty { return nil }
        let keyed = sourceFields.map { field in
            let padded = field.first?.isWhitespace == true || field.last?.isWhitespace == true
            return (field, (padded ? field.trimmingCharacters(in: .whitespaces) : field).lowercased())
        }
        for candidate in candidates {
            if let match = keyed.first(where: { $0.1 == candidate }) { return match.0 }
        }
        return nil
    }

    /// Source field names that identify a record (an id column), tried in order when neither
    /// `--key` nor a mapping's `key` names one.
    ///
    /// ```swift
    /// FieldRecognition.keyField(in: ["FOSA_ID", "Nombre"])   // "FOSA_ID"
    /// FieldRecognition.keyField(in: ["name", "lon", "lat"])  // nil: no key, records are matched by content
    /// ```
    /// A generated row number (`fid`, `OBJECTID`) is not an identity and is never recognised.
    static let keyNames = ["site_id", "siteid", "fosa_id", "id", "key", "uuid", "code", "codigo", "código", "identifier",
                           "identificador", "شناسه", "کد"]

    static func keyField(in sourceFields: [String]) -> String? {
        let keyed = sourceFields.map { ($0, $0.trimmingCharacters(in: .whitespaces).lowercased()) }
        for candidate in keyNames {
            if let match = keyed.first(where: { $0.1 == candidate }) { return match.0 }
        }
        return nil
    }
}
