/// The one table of a site's fields: every field but the id, the geometry and the names in
/// each language, in output order. The schema's columns and row encoding, the output fields
/// of every format, the audience rules of safeguarded copies, mapping-file names and checks,
/// the audit's field changes and the command line's filters are all read from it.
///
/// ```swift
/// SiteFields.all.map(\.key)
/// // ["name", "site_type", "status", "condition", "location_precision", "uncertainty_m",
/// //  "victims_min", …, "period", "date", "description", "sensitivity", "source_attributes",
/// //  "dataset", "source_key"]
/// SiteFields.named("type")?.key   // "site_type": a mapping file's alias
/// ```
/// Adding a field: a stored property on `Site`, one entry here (its column, mapping names,
/// type, audience rule, how it is read and written, whether the command line filters on it),
/// and a schema migration that adds its column. Everything else follows from the entry.
public enum SiteFields {
    /// Every field, in output order (the store writes columns by name, so its order is free).
    ///
    /// - Complexity: O(1); built once.
    public static let all: [SiteFieldDefinition] = [
        SiteFieldDefinition(
            "name", .text, whenGeneralised: .keptIfListed(placeholder: .text("generalised site")),
            recognisedNames: ["name", "nombre", "nom", "نام", "اسم", "naam", "titel", "title", "denominacion",
                              "denominación", "site_name", "sitename", "denominaci"],
            getter: .text { $0.name }, setter: .text { $0.name = $1 ?? "" }),
        .enumerated(
            SiteType.self, placeholder: .suspectedSite, mappingNames: ["site_type", "type"],
            recognisedNames: ["site_type", "type", "tipo", "نوع", "typologie"], filterOption: "type",
            get: { $0.type }, set: { $0.type = $1 }),
        .enumerated(
            SiteStatus.self, placeholder: .reported, recognisedNames: ["status", "estado", "statut", "وضعیت"],
            filterOption: "status", get: { $0.status }, set: { $0.status = $1 }),
        .enumerated(
            SiteCondition.self, placeholder: .unknown,
            recognisedNames: ["condition", "conservacion", "conservación", "état", "etat", "حالت"],
            filterOption: "condition", get: { $0.condition }, set: { $0.condition = $1 }),
        .enumerated(
            LocationPrecision.self, whenGeneralised: .fromCellSize, mappingNames: ["location_precision", "precision"],
            recognisedNames: ["location_precision", "precision", "precisión"],
            get: { $0.locationPrecision }, set: { $0.locationPrecision = $1 }),
        .real(
            "uncertainty_m", recognisedNames: ["uncertainty_m", "uncertainty", "incertidumbre"],
            get: { $0.uncertaintyM }, set: { $0.uncertaintyM = $1 }),
        .integer(
            "victims_min", recognisedNames: ["victims_min", "min_victims", "victimas_min"],
            get: { $0.victimsMin }, set: { $0.victimsMin = $1 }),
        .integer(
            "victims_max", recognisedNames: ["victims_max", "max_victims", "victimas_max"],
            get: { $0.victimsMax }, set: { $0.victimsMax = $1 }),
        .integer(
            "victims_identified", recognisedNames: ["victims_identified", "identified", "identificados", "identificadas"],
            get: { $0.victimsIdentified }, set: { $0.victimsIdentified = $1 }),
        .text(
            "period", recognisedNames: ["period", "periodo", "période", "event", "دوره"], filterOption: "period",
            get: { $0.period }, set: { $0.period = $1 }),
        SiteFieldDefinition(
            "date", .date, columns: PartialDate.columns,
            outputs: [.init("date"), .init("date_text", .internalOnly, .dateAsGiven)],
            recognisedNames: ["date", "fecha", "تاریخ"],
            getter: .date { $0.date }, setter: .date { $0.date = $1 }),
        .text(
            "description",
            recognisedNames: ["description", "descripcion", "descripción", "descripció", "desc", "notes", "توضیحات", "وصف"],
            get: { $0.description }, set: { $0.description = $1 }),
        .enumerated(
            Sensitivity.self, outputs: [.init("sensitivity", .internalOnly)], whenGeneralised: .kept,
            recognisedNames: ["sensitivity", "sensibilidad"], filterOption: "sensitivity",
            get: { $0.sensitivity }, set: { $0.sensitivity = $1 }),
        // Written as `source:FIELD` columns (a `source` object in JSON), not as one key.
        .text(
            "source_attributes", outputs: [], shownExactlyTo: .partnerAndInternal, whenGeneralised: .withheld,
            mappingNames: [], get: { $0.sourceAttributes }, set: { $0.sourceAttributes = $1 }),
        .text(
            "dataset", outputs: [.init("dataset", .internalOnly)], shownExactlyTo: .internalOnly,
            whenGeneralised: .withheld, mappingNames: [], get: { $0.dataset }, set: { $0.dataset = $1 }),
        .text(
            "source_key", outputs: [.init("source_key", .internalOnly)], shownExactlyTo: .internalOnly,
            whenGeneralised: .withheld, mappingNames: [], get: { $0.sourceKey }, set: { $0.sourceKey = $1 }),
    ]

    /// The field a key or mapping alias names (`site_type`, `type`, `precision`; case-insensitive).
    ///
    /// - Complexity: O(1).
    public static func named(_ name: String) -> SiteFieldDefinition? {
        byName[name] ?? byName[name.lowercased()]
    }

    private static let byName: [String: SiteFieldDefinition] = {
        var out: [String: SiteFieldDefinition] = [:]
        for field in all {
            out[field.key] = field
            for alias in field.mappingNames where out[alias] == nil { out[alias] = field }
        }
        return out
    }()

    /// The fields an import can set, in table order.
    public static let mapped = all.filter(\.isMapped)

    /// Every output key of the table, in output order.
    public static let outputKeys = all.flatMap { $0.outputs.map(\.key) }
}

extension PartialDate {
    /// A date's columns in `sites`: the text as given, its calendar, precision, ISO 8601 form,
    /// and first and last day.
    public static let columns = ["date_text", "date_calendar", "date_precision", "date_iso", "date_from", "date_to"]
}
