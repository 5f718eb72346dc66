import Foundation

/// What the audit chain vouches for: the content of each row it records, written once as SQL
/// so that the writer and `audit verify` compute it the same way from the tables as they are.
///
/// A row's canonical content is one JSON object with its keys sorted (SQLite's `json_object`
/// over a sorted column list):
/// - a **site**: every column of its `sites` row except `fid` (the geometry blob and any other
///   blob as `x'…'` hex, reals as `%!.17g` so that no change of a bit goes unseen), its
///   `names` (language, name, direction; sorted) and its `links` to sources made without an
///   event (source id and note; sorted);
/// - an **event**: every column of its `site_events` row except `id`, and its `links` (the
///   `site_sources` rows naming it: source id and note; sorted);
/// - a **source**: every column of its `sources` row except `id`.
/// A link is content of what it attaches (its event, else its site), so a link added or
/// removed by any tool changes that row's content; deleting a site or an event takes its
/// links with it, as the foreign keys do.
///
/// ```swift
/// let sql = AuditedKind.site.contentSelect + " WHERE t.uuid = ?"   // (uuid, name, content)
/// ```
enum AuditedKind: String, CaseIterable, Sendable {
    case site, event, source

    /// The table whose rows are of this kind (each row named by its `uuid` column).
    var table: String {
        switch self {
        case .site: "sites"
        case .event: "site_events"
        case .source: "sources"
        }
    }

    /// The row's columns in its content (every column but the integer key).
    var columns: [String] {
        switch self {
        case .site: Site.columns + ["created", "updated"] + StoreSchema.originColumns
        case .event: ["uuid", "site_id", "event_type"] + Self.dateColumns + ["description"]
        case .source: ["uuid", "source_type", "title", "reference"] + Self.dateColumns + ["sha256", "sensitivity", "attributes"]
        }
    }

    static let dateColumns = ["date_text", "date_calendar", "date_precision", "date_iso", "date_from", "date_to"]

    /// The column that names a row to a person in a report (its name or title).
    var label: String {
        switch self {
        case .site: "t.name"
        case .event: "t.event_type || coalesce(' ' || t.date_text, '')"
        case .source: "t.title"
        }
    }

    /// `SELECT t.uuid, <label>, <content> FROM <table> t` (add a `WHERE` on `t`).
    var contentSelect: String {
        "SELECT t.uuid, \(label), \(contentExpression) FROM \(table) t"
    }

    /// The SQL expression of a row's canonical content, the row being `t`.
    var contentExpression: String {
        var members = columns.map { ($0, Self.value("t.\($0)")) }
        switch self {
        case .site:
            members.append(("names", """
                (SELECT json_group_array(json_array(lang, name, direction)) FROM \
                (SELECT lang, name, direction FROM site_names WHERE site_id = t.uuid ORDER BY lang, name, direction))
                """))
            members.append(("links", Self.links(where: "site_id = t.uuid AND event_id IS NULL")))
        case .event:
            members.append(("links", Self.links(where: "event_id = t.uuid")))
        case .source:
            break
        }
        return "json_object(" + members.sorted { $0.0 < $1.0 }.map { "'\($0.0)', \($0.1)" }.joined(separator: ", ") + ")"
    }

    /// A column's value in canonical form: blobs as `x'HEX'`, reals with 17 significant digits.
    private static func value(_ column: String) -> String {
        "CASE typeof(\(column)) WHEN 'blob' THEN 'x''' || hex(\(column)) || '''' "
            + "WHEN 'real' THEN printf('%!.17g', \(column)) ELSE \(column) END"
    }

    private static func links(where condition: String) -> String {
        """
        (SELECT json_group_array(json_array(source_id, note)) FROM \
        (SELECT source_id, note FROM site_sources WHERE \(condition) ORDER BY source_id, note))
        """
    }
}
