import Geometry
import Store

/// A site as an import makes it, before the store gives it an id: geometry in EPSG:4326,
/// site fields (enumerations as their store spellings), and the source record verbatim.
///
/// ```swift
/// draft.name                // "Fosa de Paterna"
/// draft.status              // "confirmed"
/// draft.values["victims_min"]     // .integer(2238)
/// draft.dataset, draft.sourceKey   // ("spain-destroyed", "V-0042"): the import identity
/// draft.sourceAttributesJSON      // {"NOMBRE":"Fosa de Paterna","NUM":2238}
/// ```
public struct SiteDraft: Hashable, Sendable {
    public var geometry: Geometry
    public var name: String
    public var siteType: String
    public var status: String
    public var condition: String
    public var locationPrecision: String
    public var sensitivity: String
    /// The other fields of `SiteFields.mapped` that have a value (numbers and free text:
    /// `uncertainty_m`, the victim counts, `period`, `description` …), by key.
    public var values: [String: SiteFieldValue]
    /// As written in the source (ISO 8601, a year, a Solar Hijri date …); the store parses it.
    public var date: String?
    /// Names by BCP 47 language tag, in mapping order.
    public var names: [SiteName]
    public var dataset: String
    /// The record's key (`RecordKey`), nil when the record has none: it is then matched by
    /// its content, never by its position.
    public var sourceKey: String?
    /// Where the record came from: the file (or `archive/member`) and its record number.
    public var sourceFile: String
    public var recordNumber: Int
    /// Every attribute of the source record, typed.
    public var attributes: [Attribute]
    /// The dated events the mapping's `events:` make of the record, for its site.
    public var events: [ImportedEvent] = []

    /// The attributes as one JSON object, values typed (dates as strings).
    public var sourceAttributesJSON: String {
        var object = JSONObject()
        for attribute in attributes {
            let value: JSONValue
            switch attribute.value {
            case let .string(s), let .date(s): value = .string(s)
            case let .integer(i): value = .number(Double(i))
            case let .double(d): value = d.isFinite ? .number(d) : .string(String(d))
            case let .bool(b): value = .bool(b)
            case .null: value = .null
            }
            object.append(attribute.key, value)
        }
        return JSONValue.object(object).encoded()
    }
}
