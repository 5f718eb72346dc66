import Foundation
import Geometry
import SiteModel

/// One table of a store as every engine keeps it: its name, its columns and their kinds, in
/// the order rows are exchanged between engines (`graveatlas copy`).
///
/// ```swift
/// for table in StoreTable.copied { print(table.name, table.columns.map(\.name)) }
/// ```
/// The tables are listed parents first (sites before their names, sources before the links
/// that name them), so rows written in this order satisfy every foreign key. Each engine's
/// schema is made from these lists (the GeoPackage's is checked against them before a copy),
/// so a column added to one engine and not the other is refused, never silently dropped.
/// Derived tables (the search index, the R-tree) are not listed: each engine makes its own.
public struct StoreTable: Hashable, Sendable {
    /// What a column holds, and so how each engine stores it.
    public enum Kind: Hashable, Sendable {
        /// A row number (the GeoPackage's INTEGER PRIMARY KEY); the table's order.
        case key
        case integer
        case real
        case text
        /// A UUID, exchanged as its upper-case text (`UUID.text`).
        case uuid
        /// A site's geometry in EPSG:4326, exchanged as ISO WKB (little-endian).
        case geometry
        /// Bytes kept as they are (the content hashes of `audit_items`).
        case blob
    }

    public struct Column: Hashable, Sendable {
        public let name: String
        public let kind: Kind
        /// NULL is refused.
        public let required: Bool
        /// The words an enumerated column allows, nil for free values.
        public let allowed: [String]?
        /// The table whose key column (`uuid`) this column names, if any.
        public let references: String?

        init(_ name: String, _ kind: Kind, required: Bool = false, allowed: [String]? = nil, references: String? = nil) {
            self.name = name
            self.kind = kind
            self.required = required
            self.allowed = allowed
            self.references = references
        }
    }

    public let name: String
    public let columns: [Column]
    /// Columns an engine may have that a copy leaves behind (each engine's own row number of
    /// `store_metadata`).
    public let uncopied: Set<String>

    init(name: String, columns: [Column], uncopied: Set<String> = []) {
        self.name = name
        self.columns = columns
        self.uncopied = uncopied
        columnNames = columns.map(\.name)
        quotedColumnList = columns.map { Self.quoted($0.name) }.joined(separator: ", ")
        insertSQL = (name == "store_metadata" ? "INSERT OR REPLACE" : "INSERT")
            + " INTO \(name) (\(quotedColumnList)) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    }

    /// The column names, in exchange order.
    public let columnNames: [String]

    /// The column names quoted for SQL (both engines), comma-separated in exchange order:
    /// `audit_log` has a column named `by`, a keyword in SQLite and PostgreSQL alike.
    public let quotedColumnList: String

    /// The GeoPackage's statement that inserts one row (`StoreRowWriter`), made once: a copy
    /// inserts millions.
    let insertSQL: String

    /// `name` as an SQL identifier in double quotes.
    public static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

    /// The key column, first in every table but `store_metadata`.
    public var key: String { columns.first(where: { $0.kind == .key })?.name ?? "key" }

    /// The tables a copy carries, parents first.
    public static let copied: [StoreTable] = [sites, siteNames, sources, siteEvents, siteSources, auditLog, auditItems, settings]

    /// `sites`: the geometry, the id, every field's columns (`SiteFields.all`), the times of
    /// its creation and last change, and where an import found it (`SiteOrigin`).
    public static let sites = StoreTable(name: "sites", columns: [
        Column("fid", .key), Column("geom", .geometry, required: true), Column("uuid", .uuid, required: true),
    ] + SiteFields.all.flatMap { field in
        field.columns.map { column -> Column in
            switch field.type {
            case .text: return Column(column, .text, required: column == "name")
            case .integer: return Column(column, .integer)
            case .real: return Column(column, .real)
            case .enumeration(let words): return Column(column, .text, required: true, allowed: words)
            case .date: return Column(column, .text)
            }
        }
    } + [
        Column("created", .text, required: true), Column("updated", .text, required: true),
        Column("source_file", .text), Column("source_layer", .text), Column("missing_from_source", .text),
    ])

    public static let siteNames = StoreTable(name: "site_names", columns: [
        Column("id", .key), Column("site_id", .uuid, required: true, references: "sites"),
        Column("lang", .text, required: true), Column("name", .text, required: true),
        Column("direction", .text, required: true, allowed: ScriptDirection.allCases.map(\.rawValue)),
    ])

    public static let sources = StoreTable(name: "sources", columns: [
        Column("id", .key), Column("uuid", .uuid, required: true),
        Column("source_type", .text, required: true, allowed: SourceType.allCases.map(\.rawValue)),
        Column("title", .text, required: true), Column("reference", .text),
    ] + PartialDate.columns.map { Column($0, .text) } + [
        Column("sha256", .text),
        Column("sensitivity", .text, required: true, allowed: Sensitivity.allCases.map(\.rawValue)),
        Column("attributes", .text),
    ])

    public static let siteEvents = StoreTable(name: "site_events", columns: [
        Column("id", .key), Column("uuid", .uuid, required: true),
        Column("site_id", .uuid, required: true, references: "sites"),
        Column("event_type", .text, required: true, allowed: SiteEventType.allCases.map(\.rawValue)),
    ] + PartialDate.columns.map { Column($0, .text) } + [Column("description", .text)])

    public static let siteSources = StoreTable(name: "site_sources", columns: [
        Column("id", .key), Column("site_id", .uuid, required: true, references: "sites"),
        Column("source_id", .uuid, required: true, references: "sources"),
        Column("event_id", .uuid, references: "site_events"), Column("note", .text),
    ])

    /// The audit log with its hash chain (the GeoPackage's schema 8): each entry's fields as
    /// hashed, its hash and the previous entry's, so that a copy verifies as the original does.
    public static let auditLog = StoreTable(name: "audit_log", columns: [
        Column("id", .key), Column("at", .text, required: true), Column("action", .text, required: true),
        Column("entity", .text, required: true), Column("entity_id", .text), Column("detail", .text),
        Column("seq", .integer), Column("by", .text), Column("before", .text), Column("after", .text),
        Column("items_digest", .text), Column("prev_hash", .text), Column("hash", .text),
        Column("pre_chain", .integer, required: true),
    ])

    /// The rows each audit entry lists (`seq` names the entry), with the SHA-256 of their
    /// canonical content before and after it.
    public static let auditItems = StoreTable(name: "audit_items", columns: [
        Column("id", .key), Column("seq", .integer, required: true), Column("entity", .text, required: true),
        Column("entity_id", .text, required: true), Column("action", .text), Column("detail", .text),
        Column("before_hash", .blob), Column("after_hash", .blob), Column("before", .text), Column("after", .text),
    ])

    /// The store's settings that travel with its data (`store_metadata` rows whose key is in
    /// `settingKeys`): the generalisation grid and the salt of the published order, so that a
    /// copy gives the same outputs. The schema version and each engine's own bookkeeping stay.
    public static let settings = StoreTable(name: "store_metadata", columns: [
        Column("key", .text, required: true), Column("value", .text),
    ], uncopied: ["id"])

    /// The search index's words of each site (`SearchTokens`): its id, then the tokens of its
    /// names, description and source attributes as FTS5 makes them from the index's text, each
    /// list exchanged as a PostgreSQL array literal (`{"khavaran","tehran"}`). Not a table of
    /// the GeoPackage (its FTS5 index holds them); a database keeps them to search as the file
    /// does.
    public static let searchEntries = StoreTable(name: "site_search", columns: [
        Column("site_id", .uuid, required: true, references: "sites"),
        Column("names", .text, required: true), Column("description", .text, required: true),
        Column("attributes", .text, required: true),
    ])

    /// `words` as a PostgreSQL array literal of text: each element in double quotes, its
    /// backslashes and double quotes escaped.
    public static func arrayLiteral(_ words: [String]) -> String {
        "{" + words.map { word in
            "\"" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }

    /// The `store_metadata` keys a copy carries.
    public static let settingKeys = [SiteStore.gridCellKey, SiteStore.gridOriginKey, SiteStore.orderSaltKey]
}

/// One value of a row exchanged between engines (`StoreTable`).
public enum StoredValue: Hashable, Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    /// ISO WKB of a geometry.
    case wkb([UInt8])
    /// Bytes of a `.blob` column.
    case blob([UInt8])
}

extension StoredValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let n): return String(n)
        case .real(let d): return "\(d)"
        case .text(let s): return s
        case .wkb(let bytes): return "WKB of \(bytes.count) bytes"
        case .blob(let bytes): return "\(bytes.count) bytes"
        }
    }
}
