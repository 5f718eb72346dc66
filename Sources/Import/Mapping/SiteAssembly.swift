import Foundation
import Geometry
import Store

/// Turns a prepared record into a `SiteDraft` with a mapping file, or — without one — with
/// the field names `FieldRecognition` knows, and these defaults: type `suspected_site`,
/// status `reported`, condition `unknown`, sensitivity `restricted` (safe until someone
/// decides otherwise), precision `approximate` for points and `exact` for areas.
///
/// ```swift
/// let assembly = SiteAssembly(mapping: mapping, dataset: "spain-destroyed", keyField: "FOSA_ID",
///                             sourceFields: source.fieldNames)
/// let (draft, remarks) = assembly.draft(record, geometry: prepared, file: source.displayName)
/// ```
/// A value that cannot fill its site field (an unknown status, a count that is not a
/// number, an ambiguous `1.000`, a date in the future) leaves the field empty or at its
/// default and is kept in `rejections` (see `SiteAssembly+Values.swift`); the value itself
/// stays in the source attributes. Mapped values match ignoring case and accents where that
/// is unambiguous (`ImportMapping.translated`).
struct SiteAssembly {
    let mapping: ImportMapping?
    let dataset: String
    let keyField: String?
    /// Site field → source field, resolved once for files whose fields are known up front.
    private var recognised: [SiteField: String] = [:]
    private let recognisePerRecord: Bool
    /// How the file writes numbers in text (set by the importer for CSV files).
    var numberConvention: NumberConvention = .unknown
    /// The calendar of dates whose text does not say theirs (mapping or `--calendar`).
    var calendar: PartialDate.Calendar?
    /// Dates after this day (`YYYY-MM-DD`) are refused.
    var today = PartialDate.today()
    /// The values the last `draft` could not use as written.
    private(set) var rejections: [ValueRemark] = []
    /// The mapped events the last `draft` could not record, each with its reason.
    private(set) var eventProblems: [String] = []

    static let defaults: [SiteField: String] = [
        .siteType: "suspected_site", .status: "reported", .condition: "unknown", .sensitivity: "restricted",
    ]

    init(mapping: ImportMapping?, dataset: String, keyField: String?, sourceFields: [String]?) {
        self.mapping = mapping
        self.dataset = dataset
        self.keyField = keyField
        if let sourceFields {
            recognised = SiteAssembly.recognise(sourceFields, mapping: mapping)
            identifyingField = keyField ?? FieldRecognition.keyField(in: sourceFields)
            recognisePerRecord = false
        } else {
            recognisePerRecord = true
        }
    }

    /// `text` without leading and trailing spaces; Foundation's trimming is costly and most
    /// values need none, so it runs only for those that do.
    static func trimmed(_ text: String) -> String {
        let padded = text.first?.isWhitespace == true || text.last?.isWhitespace == true
        return padded ? text.trimmingCharacters(in: .whitespaces) : text
    }

    static func recognise(_ fields: [String], mapping: ImportMapping?) -> [SiteField: String] {
        var out: [SiteField: String] = [:]
        for site in SiteField.allCases {
            if let source = mapping?.fields[site] {
                out[site] = source
            } else if mapping?.constants[site] == nil, let source = FieldRecognition.field(for: site, in: fields) {
                out[site] = source
            }
        }
        return out
    }

    /// The field names the last per-record recognition was made for (GeoJSON and KML
    /// records usually share them, so recognition runs once per distinct list).
    private var recognisedNames: [String]?
    /// The field that keys the last record: `keyField`, else a recognised id column, else none
    /// (the record is then matched by content, see `RecordKey`).
    private(set) var identifyingField: String?

    mutating func draft(_ record: ImportedRecord, geometry: Geometry, file: String) -> (SiteDraft, [String]) {
        if recognisePerRecord {
            let names = record.attributes.map(\.key)
            if names != recognisedNames {
                recognised = SiteAssembly.recognise(names, mapping: mapping)
                identifyingField = keyField ?? FieldRecognition.keyField(in: names)
                recognisedNames = names
            }
        }
        let sources = recognised
        var remarks: [String] = []
        rejections = []
        eventProblems = []
        func raw(_ field: SiteField) -> String? {
            let value: AttributeValue
            if let constant = mapping?.constants[field] {
                value = .string(constant)
            } else {
                guard let source = sources[field], let given = record[source], let text = given.text else { return nil }
                if SiteAssembly.trimmed(text).isEmpty { return nil }
                value = given
            }
            switch checked(field, value, fromMapping: mapping?.constants[field] != nil) {
            case let .success(text): return text
            case let .failure(remark):
                rejections.append(remark)
                return nil
            }
        }
        func enumerated(_ field: SiteField, default fallback: String) -> String {
            guard let value = raw(field) else { return fallback }
            if let translated = mapping?.translated(value, for: field) { return translated }
            if let canonical = field.canonicalValue(value) { return canonical }
            rejections.append(ValueRemark(
                kind: .rejected, field: field, value: value,
                reason: "is not one of \(field.allowedValues?.joined(separator: ", ") ?? "")"
                    + (mapping?.values[field].map { " nor one the mapping translates (\(ImportMapping.listed($0.keys)))" } ?? ""),
                outcome: "left as \(fallback)"))
            return fallback
        }
        let isPoint: Bool = { if case .point = geometry { return true } else { return false } }()
        let key: String? = identifyingField.flatMap { RecordKey.normalised(record[$0]) }
        var names: [SiteName] = []
        for (language, field) in mapping?.names ?? [] {
            if let text = record[field]?.text.map(SiteAssembly.trimmed), !text.isEmpty {
                names.append(SiteName(language: language, name: text))
            }
        }
        let name = raw(.name) ?? names.first?.name ?? "\(dataset) \(key ?? String(record.recordNumber))"
        var chosen: [SiteField: String] = [:]
        var values: [String: SiteFieldValue] = [:]
        var date: String?
        for field in SiteField.allCases where field != .name {
            switch field.definition.type {
            case .enumeration:
                let fallback = field == .locationPrecision
                    ? (isPoint ? "approximate" : "exact") : SiteAssembly.defaults[field] ?? ""
                chosen[field] = enumerated(field, default: fallback)
            case .date: date = raw(field)
            case .text: values[field.rawValue] = raw(field).map(SiteFieldValue.text)
            // `raw` has made it a whole number already (or refused it).
            case .integer: values[field.rawValue] = raw(field).flatMap { Double($0) }.map { .integer(Int($0)) }
            case .real:
                guard let value = raw(field) else { continue }
                values[field.rawValue] = DecimalText.parse(value).map(SiteFieldValue.real)
                if values[field.rawValue] == nil { remarks.append("\(field) '\(value)' is not a number: left empty") }
            }
        }
        func chosenValue(_ field: SiteField) -> String { chosen[field] ?? SiteAssembly.defaults[field] ?? "" }
        let draft = SiteDraft(
            geometry: geometry, name: name, siteType: chosenValue(.siteType), status: chosenValue(.status),
            condition: chosenValue(.condition), locationPrecision: chosenValue(.locationPrecision),
            sensitivity: chosenValue(.sensitivity), values: values, date: date,
            names: names, dataset: dataset, sourceKey: key, sourceFile: file, recordNumber: record.recordNumber,
            attributes: record.attributes, events: events(of: record))
        return (draft, remarks)
    }

    /// The mapping's events for `record`: one for each entry whose date field has a date; an
    /// empty date field records none, and an unreadable date is kept in `eventProblems`.
    private mutating func events(of record: ImportedRecord) -> [ImportedEvent] {
        guard let mapping, !mapping.events.isEmpty else { return [] }
        func text(_ field: String?) -> String? {
            guard let field, let value = record[field]?.text.map(SiteAssembly.trimmed), !value.isEmpty else { return nil }
            return value
        }
        var events: [ImportedEvent] = []
        for entry in mapping.events {
            guard let value = record[entry.dateField], let given = text(entry.dateField) else { continue }
            switch readDate(value, text: given) {
            case let .failure(refusal):
                eventProblems.append("event \(entry.type.rawValue): \(entry.dateField) '\(given)' \(refusal.reason)")
            case let .success(read):
                let title = entry.sourceText ?? text(entry.sourceField)
                events.append(ImportedEvent(
                    type: entry.type, date: read.date, description: text(entry.descriptionField),
                    source: title.map { ImportedEvent.Citation(title: $0, type: entry.sourceType, sensitivity: entry.sourceSensitivity) }))
            }
        }
        return events
    }
}
