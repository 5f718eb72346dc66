import Store

/// One output field of a site: its key, who may see it, and how its value is read. The table
/// `SiteField.table`, made from the site model's field table (`SiteFields.all`), is the one
/// mapping from a site to output fields that every format (CSV, JSON, GeoJSON, KML, GeoPackage,
/// the terminal table) and every caller (queries, exports, the server) uses.
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
        /// `partner` and `internal`.
        case partnerAndInternal
        /// Only audiences that generalise some sensitivity: the marker fields of generalised sites.
        case generalising
        /// Only when the caller supplies it (the last event date of a store listing).
        case onRequest

        /// The audiences of a table field's output.
        init(_ visibility: SiteFieldDefinition.Visibility) {
            switch visibility {
            case .every: self = .every
            case .partnerAndInternal: self = .partnerAndInternal
            case .internalOnly: self = .internalOnly
            }
        }
    }

    public let key: String
    public let audiences: Audiences
    let reads: Reads

    /// What a field reads: the id, a field of `SiteFields.all` (by position), a date as given,
    /// or a figure of the row; one switch per cell.
    enum Reads: Sendable {
        case id, lastEvent, generalised, cellSize
        /// The value a field of `SiteFields.all` reads (a date as ISO 8601).
        case field(SiteFieldDefinition.Getter)
        /// The date a field of `SiteFields.all` reads, as it was given.
        case dateAsGiven(@Sendable (Site) -> PartialDate?)
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
        switch reads {
        case .id: return .string(row.site.id.text)
        case let .field(getter):
            switch getter {
            case let .text(get): return get(row.site).map { .string($0) }
            case let .integer(get): return get(row.site).map { .int(Int64($0)) }
            case let .real(get): return get(row.site).map { .double($0) }
            case let .date(get): return get(row.site).map { .string($0.iso) }
            }
        case let .dateAsGiven(get): return get(row.site).map { .string($0.original) }
        case .lastEvent: return row.lastEventDate.map { .string($0) }
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

    /// Every site field in output order: `id`, the outputs of `SiteFields.all` (the last event's
    /// day after the description), then the markers of generalised sites. Names in each
    /// language are inserted after `name`.
    ///
    /// - Complexity: O(1); built once.
    public static let table: [SiteField] = {
        var out = [SiteField("id", .id)]
        for field in SiteFields.all {
            for output in field.outputs {
                out.append(SiteField(output.key, Audiences(output.visibility), reads(output.form, of: field)))
            }
            if field.key == "description" { out.append(SiteField(lastEventKey, .onRequest, .lastEvent)) }
        }
        out.append(SiteField(generalisedKey, .generalising, .generalised))
        out.append(SiteField(cellSizeKey, .generalising, .cellSize))
        return out
    }()

    /// What an output of `field` in `form` reads.
    private static func reads(_ form: SiteFieldDefinition.Output.Form, of field: SiteFieldDefinition) -> Reads {
        switch (form, field.getter) {
        case let (.dateAsGiven, .date(get)): .dateAsGiven(get)
        case (.dateAsGiven, _): .dateAsGiven { _ in nil }  // only a date has a form as given
        case (.value, _): .field(field.getter)
        }
    }

    /// Whether the field stays on a generalised site: the markers always, others when allowed.
    func keptWhenGeneralised(_ allowed: Set<String>) -> Bool {
        audiences == .generalising || allowed.contains(key)
    }
}
