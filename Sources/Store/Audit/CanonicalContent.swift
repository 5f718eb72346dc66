import Foundation

/// What the audit chain vouches for: the content of each row it records, defined once here
/// so that the writer and `audit verify` compute it the same way from the tables as they are.
///
/// A row's content is its members in key order:
/// - a **site**: every column of its `sites` row except `fid`, its `names` (language, name,
///   direction; sorted) and its `links` to sources made without an event (source id and
///   note; sorted);
/// - an **event**: every column of its `site_events` row except `id`, and its `links` (the
///   `site_sources` rows naming it: source id and note; sorted);
/// - a **source**: every column of its `sources` row except `id`.
/// A link is content of what it attaches (its event, else its site), so a link added or
/// removed by any tool changes that row's content; deleting a site or an event takes its
/// links with it, as the foreign keys do.
///
/// The chain records a row by the hash of its members as stored (`ContentHash`), typed, so
/// that no change of a bit or of a storage class goes unseen. For a person the content is
/// also written as one JSON object with its keys sorted (`contentExpression`: blobs as
/// `x'…'` hex, reals as `%!.17g`), which entries of single edits and accepts keep to show
/// what changed. (Stores of schema version 8 before the typed hash recorded the SHA-256 of
/// that JSON text; `ContentHash.matches` still reads those.)
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

    /// The content's members in key order: each key with its SQL expression on the row `t`,
    /// a column as stored or a list (names, links) as a JSON array. A list's `hashSQL` gives
    /// the same text as its `sql`, but asks first whether the row has any item, and gives
    /// `'[]'` (what `json_group_array` gives for none) without sorting when it has none, as
    /// most new sites of an import have no other name and no link.
    var members: [(key: String, sql: String, hashSQL: String, isColumn: Bool)] { Self.made[self]?.members ?? [] }

    /// The members, their columns and the content's expression, made once for each kind (an
    /// import asks for them for every site it matches).
    private static let made: [AuditedKind: (members: [(key: String, sql: String, hashSQL: String, isColumn: Bool)],
                                            memberColumns: String, contentExpression: String, stateSelect: String)] =
        Dictionary(uniqueKeysWithValues: allCases.map { kind in
            let members = kind.makeMembers()
            let columns = members.map(\.hashSQL).joined(separator: ", ")
            let content = "json_object(" + members.map { "'\($0.key)', \($0.isColumn ? value($0.sql) : $0.sql)" }
                .joined(separator: ", ") + ")"
            return (kind, (members, columns, content, "SELECT \(content), \(columns) FROM \(kind.table) t WHERE t.uuid = ?"))
        })

    /// `SELECT <content>, <member columns> FROM <table> t WHERE t.uuid = ?`: a row's content
    /// as text and as its hash's members (`AuditChange.state`).
    var stateSelect: String { Self.made[self]?.stateSelect ?? "" }

    private func makeMembers() -> [(key: String, sql: String, hashSQL: String, isColumn: Bool)] {
        var members = columns.map { (key: $0, sql: "t.\($0)", hashSQL: "t.\($0)", isColumn: true) }
        func list(_ key: String, _ table: String, _ condition: String, _ sql: String) {
            members.append((key: key, sql: sql,
                            hashSQL: "CASE WHEN EXISTS (SELECT 1 FROM \(table) WHERE \(condition)) THEN \(sql) ELSE '[]' END",
                            isColumn: false))
        }
        switch self {
        case .site:
            list("names", "site_names", "site_id = t.uuid", """
                (SELECT json_group_array(json_array(lang, name, direction)) FROM \
                (SELECT lang, name, direction FROM site_names WHERE site_id = t.uuid ORDER BY lang, name, direction))
                """)
            let condition = "site_id = t.uuid AND event_id IS NULL"
            list("links", "site_sources", condition, Self.links(where: condition))
        case .event:
            list("links", "site_sources", "event_id = t.uuid", Self.links(where: "event_id = t.uuid"))
        case .source:
            break
        }
        return members.sorted { $0.key < $1.key }
    }

    /// The members as a list of SQL result columns (`ContentHash` reads them in this order).
    var memberColumns: String { Self.made[self]?.memberColumns ?? "" }

    /// The SQL expression of a row's canonical content as text, the row being `t`.
    var contentExpression: String { Self.made[self]?.contentExpression ?? "" }

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
