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
    let value: @Sendable (SiteRow, Treatment, GeneralisationGrid) -> PropertyValue?

    init(_ key: String, _ audiences: Audiences = .every,
         _ value: @escaping @Sendable (SiteRow, Treatment, GeneralisationGrid) -> PropertyValue?) {
        self.key = key
        self.audiences = audiences
        self.value = value
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
        SiteField("id") { r, _, _ in .string(r.site.id.text) },
        SiteField("name") { r, _, _ in .string(r.site.name) },
        SiteField("site_type") { r, _, _ in .string(r.site.type.rawValue) },
        SiteField("status") { r, _, _ in .string(r.site.status.rawValue) },
        SiteField("condition") { r, _, _ in .string(r.site.condition.rawValue) },
        SiteField("location_precision") { r, _, _ in .string(r.site.locationPrecision.rawValue) },
        SiteField("uncertainty_m") { r, _, _ in r.site.uncertaintyM.map { .double($0) } },
        SiteField("victims_min") { r, _, _ in r.site.victimsMin.map { .int(Int64($0)) } },
        SiteField("victims_max") { r, _, _ in r.site.victimsMax.map { .int(Int64($0)) } },
        SiteField("victims_identified") { r, _, _ in r.site.victimsIdentified.map { .int(Int64($0)) } },
        SiteField("period") { r, _, _ in r.site.period.map { .string($0) } },
        SiteField("date") { r, _, _ in r.site.date.map { .string($0.iso) } },
        SiteField("date_text", .internalOnly) { r, _, _ in r.site.date.map { .string($0.original) } },
        SiteField("description") { r, _, _ in r.site.description.map { .string($0) } },
        SiteField(lastEventKey, .onRequest) { r, _, _ in r.lastEventDate.map { .string($0) } },
        SiteField("sensitivity", .internalOnly) { r, _, _ in .string(r.site.sensitivity.rawValue) },
        SiteField("dataset", .internalOnly) { r, _, _ in r.site.dataset.map { .string($0) } },
        SiteField("source_key", .internalOnly) { r, _, _ in r.site.sourceKey.map { .string($0) } },
        SiteField(generalisedKey, .generalising) { _, t, _ in t == .generalised ? .bool(true) : nil },
        SiteField(cellSizeKey, .generalising) { _, t, grid in t == .generalised ? .double(grid.cellSize) : nil },
    ]

    /// Whether the field stays on a generalised site: the markers always, others when allowed.
    func keptWhenGeneralised(_ allowed: Set<String>) -> Bool {
        audiences == .generalising || allowed.contains(key)
    }
}
