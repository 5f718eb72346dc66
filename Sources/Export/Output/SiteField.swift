import Store

/// One output field of a site: its key, who may see it, and how its value is read. The table
/// `SiteField.table` is the one mapping from a site to output fields that every format (CSV,
/// JSON, GeoJSON, KML, GeoPackage, the terminal table) and every caller (queries, exports,
/// the server) uses.
///
/// ```swift
/// SiteField.table.map(\.key)
/// // ["id", "name", "site_type", "status", …, "date_text", "description", "last_event_date",
/// //  "sensitivity", "dataset", "source_key", "generalised", "cell_size_deg"]
/// ```
/// Names in every language (`name:fa`, `name:en` …) follow `name`, one column per language the
/// audience may see (see `OutputColumns`). Source attributes follow the table as `source:FIELD`
/// columns (or a `source` object in JSON). A field without a value is absent (empty in CSV).
/// Ids are written as stored: upper-case UUID text.
public struct SiteField: Sendable {
    /// Who sees the field on a site shown exactly.
    public enum Audiences: Sendable {
        /// Every audience.
        case every
        /// Only `internal` (the import identity, the sensitivity, the date as typed).
        case internalOnly
        /// Only audiences that generalise some sensitivity: the marker fields of generalised sites.
        case generalising
        /// Only when the caller supplies it (the last event date of a store listing).
        case onRequest
    }

    public let key: String
    public let audiences: Audiences
    let reads: Reads

    /// What a field reads: one case per field, so that reading a row is one switch (no
    /// closure call per cell).
    enum Reads: Sendable {
        case id, name, siteType, status, condition, locationPrecision, uncertainty, victimsMin, victimsMax
        case victimsIdentified, period, date, dateText, description, lastEvent, sensitivity, dataset
        case sourceKey, generalised, cellSize
    }

    init(_ key: String, _ audiences: Audiences, _ reads: Reads) {
        self.key = key
        self.audiences = audiences
        self.reads = reads
    }

    init(_ key: String, _ reads: Reads) {
        self.init(key, .every, reads)
    }

    /// The value `reads` gives for a row shown with `treatment` (nil: absent).
    ///
    /// - Complexity: O(1).
    static func value(_ reads: Reads, _ row: SiteRow, _ treatment: Treatment, _ grid: GeneralisationGrid) -> PropertyValue? {
        let site = row.site
        switch reads {
        case .id: return .string(site.id.text)
        case .name: return .string(site.name)
        case .siteType: return .string(site.type.rawValue)
        case .status: return .string(site.status.rawValue)
        case .condition: return .string(site.condition.rawValue)
        case .locationPrecision: return .string(site.locationPrecision.rawValue)
        case .uncertainty: return site.uncertaintyM.map { .double($0) }
        case .victimsMin: return site.victimsMin.map { .int(Int64($0)) }
        case .victimsMax: return site.victimsMax.map { .int(Int64($0)) }
        case .victimsIdentified: return site.victimsIdentified.map { .int(Int64($0)) }
        case .period: return site.period.map { .string($0) }
        case .date: return site.date.map { .string($0.iso) }
        case .dateText: return site.date.map { .string($0.original) }
        case .description: return site.description.map { .string($0) }
        case .lastEvent: return row.lastEventDate.map { .string($0) }
        case .sensitivity: return .string(site.sensitivity.rawValue)
        case .dataset: return site.dataset.map { .string($0) }
        case .sourceKey: return site.sourceKey.map { .string($0) }
        case .generalised: return treatment == .generalised ? .bool(true) : nil
        case .cellSize: return treatment == .generalised ? .double(grid.cellSize) : nil
        }
    }

    /// The key generalised features carry, set to true.
    public static let generalisedKey = "generalised"
    /// The key giving a generalised feature's cell size in degrees.
    public static let cellSizeKey = "cell_size_deg"
    /// The key of the last event's day.
    public static let lastEventKey = "last_event_date"
    /// The prefix of source attribute columns.
    public static let sourcePrefix = "source:"
    /// The key of the source attribute object in JSON formats.
    public static let sourceKey = "source"

    /// Every site field in output order (names in each language are inserted after `name`).
    ///
    /// - Complexity: O(1); built once.
    public static let table: [SiteField] = [
        SiteField("id", .id),
        SiteField("name", .name),
        SiteField("site_type", .siteType),
        SiteField("status", .status),
        SiteField("condition", .condition),
        SiteField("location_precision", .locationPrecision),
        SiteField("uncertainty_m", .uncertainty),
        SiteField("victims_min", .victimsMin),
        SiteField("victims_max", .victimsMax),
        SiteField("victims_identified", .victimsIdentified),
        SiteField("period", .period),
        SiteField("date", .date),
        SiteField("date_text", .internalOnly, .dateText),
        SiteField("description", .description),
        SiteField(lastEventKey, .onRequest, .lastEvent),
        SiteField("sensitivity", .internalOnly, .sensitivity),
        SiteField("dataset", .internalOnly, .dataset),
        SiteField("source_key", .internalOnly, .sourceKey),
        SiteField(generalisedKey, .generalising, .generalised),
        SiteField(cellSizeKey, .generalising, .cellSize),
    ]

    /// Whether the field stays on a generalised site: the markers always, others when allowed.
    func keptWhenGeneralised(_ allowed: Set<String>) -> Bool {
        audiences == .generalising || allowed.contains(key)
    }
}
