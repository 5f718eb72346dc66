import Foundation
import Store

/// One entry of a mapping's `events:`: how each record's fields become a dated event of its
/// site, with the source that reports it.
///
/// ```yaml
/// events:
///   - type: damaged               # an event type (reported, visited, damaged, bulldozed, …)
///     date: damaged_between       # the source field with its date: one date, or an interval A/B
///     source: source              # optional: the field whose text is the source's title
///     source_type: document       # optional (default document)
///     source_sensitivity: public  # optional (default restricted)
///     description: note           # optional: the field with the event's description
/// ```
/// `source_text: "…"` gives one title for every record instead of `source`. A record whose date
/// field is empty records no event (a date is never made up); one whose date cannot be read is
/// reported (fatal under `--strict`). An event is recorded once however often its file is
/// imported: `SiteImportBatch.record(_:site:)` matches it by site, type and date.
public struct EventMapping: Hashable, Sendable {
    public var type: SiteEventType
    public var dateField: String
    public var sourceField: String?
    public var sourceText: String?
    public var sourceType: SourceType = .document
    public var sourceSensitivity: Sensitivity = .restricted
    public var descriptionField: String?

    public init(type: SiteEventType, dateField: String) {
        self.type = type
        self.dateField = dateField
    }

    /// The source fields the entry names.
    var sourceFields: [String] { [dateField, sourceField, descriptionField].compactMap { $0 } }

    static let keys = ["type", "date", "source", "source_text", "source_type", "source_sensitivity", "description"]

    /// Reads the value of `events:`, a list of entries.
    ///
    /// - Parameters:
    ///   - text: reads a scalar as text (nil for an empty value), throwing for a list or a mapping.
    ///   - fail: makes the error for a reason (the key path begins it: `events[0].type: …`).
    static func parseList(_ value: Any, text: (Any?, String) throws -> String?,
                          fail: (String) -> ImportError) throws -> [EventMapping] {
        guard let list = value as? [Any] else { throw fail("'events' must be a list of events") }
        return try list.enumerated().map { index, item in
            let path = "events[\(index)]"
            guard let entry = item as? [String: Any] else {
                throw fail("\(path) must be a mapping with type and date")
            }
            if let unknown = entry.keys.sorted().first(where: { !keys.contains($0) }) {
                throw fail("\(path): unknown key '\(unknown)' (known: \(keys.joined(separator: ", ")))")
            }
            func word<E: StoreEnumeration>(_ key: String, _ type: E.Type) throws -> E? {
                guard let given = try text(entry[key], "\(path).\(key)") else { return nil }
                guard let value = try? E(validating: given) else {
                    throw fail("\(path).\(key): '\(given)' is not a \(E.field) (allowed: "
                        + E.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                return value
            }
            func field(_ key: String) throws -> String? {
                guard let name = try text(entry[key], "\(path).\(key)") else { return nil }
                guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("\(path).\(key) names no source field") }
                return name
            }
            guard let type = try word("type", SiteEventType.self) else { throw fail("\(path).type is missing (an event type)") }
            guard let date = try field("date") else {
                throw fail("\(path).date is missing (the source field with the event's date, or interval A/B)")
            }
            var mapping = EventMapping(type: type, dateField: date)
            mapping.sourceField = try field("source")
            mapping.sourceText = try text(entry["source_text"], "\(path).source_text")
            if mapping.sourceField != nil, mapping.sourceText != nil {
                throw fail("\(path): give source (a field) or source_text (one title), not both")
            }
            if let given = mapping.sourceText, given.trimmingCharacters(in: .whitespaces).isEmpty {
                throw fail("\(path).source_text is empty")
            }
            let citesASource = mapping.sourceField != nil || mapping.sourceText != nil
            if !citesASource, let key = ["source_type", "source_sensitivity"].first(where: { entry[$0] != nil }) {
                throw fail("\(path).\(key) is given but the event names no source (source or source_text)")
            }
            mapping.sourceType = try word("source_type", SourceType.self) ?? .document
            mapping.sourceSensitivity = try word("source_sensitivity", Sensitivity.self) ?? .restricted
            mapping.descriptionField = try field("description")
            return mapping
        }
    }
}
