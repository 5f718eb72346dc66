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

    /// The column names, in exchange order.
    public var columnNames: [String] { columns.map(\.name) }

    /// The key column, first in every table but `store_metadata`.
    public var key: String { columns.first(where: { $0.kind == .key })?.name ?? "key" }

    /// The tables a copy carries, parents first.
    public static let copied: [StoreTable] = [sites, siteNames, sources, siteEvents, siteSources, auditLog, settings]

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

    /// The audit log as the GeoPackage keeps it before its hash chain (schema 7).
    public static let auditLog = StoreTable(name: "audit_log", columns: [
        Column("id", .key), Column("at", .text, required: true), Column("action", .text, required: true),
        Column("entity", .text, required: true), Column("entity_id", .text), Column("detail", .text),
    ])

    /// The store's settings that travel with its data (`store_metadata` rows whose key is in
    /// `settingKeys`): the generalisation grid and the salt of the published order, so that a
    /// copy gives the same outputs. The schema version and each engine's own bookkeeping stay.
    public static let settings = StoreTable(name: "store_metadata", columns: [
        Column("key", .text, required: true), Column("value", .text),
    ])

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
}

extension StoredValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let n): return String(n)
        case .real(let d): return "\(d)"
        case .text(let s): return s
        case .wkb(let bytes): return "WKB of \(bytes.count) bytes"
        }
    }
}
