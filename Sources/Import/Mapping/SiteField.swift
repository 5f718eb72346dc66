import Foundation
import Store

/// A field of a site that an import can fill: an entry of the site model's field table
/// (`SiteFields.mapped`), by the names mapping files use, with the values the enumerated ones
/// allow (as the store defines them).
///
/// ```swift
/// SiteField(name: "type")              // .siteType (an accepted alias)
/// SiteField.status.allowedValues       // ["suspected", "reported", "corroborated", "confirmed"]
/// SiteField.allCases.map(\.rawValue)   // ["name", "site_type", …, "description", "sensitivity"]
/// ```
public struct SiteField: Hashable, Sendable, CustomStringConvertible {
    /// The field's entry in `SiteFields.all`.
    public let definition: SiteFieldDefinition

    /// The field's key (`site_type`).
    public var rawValue: String { definition.key }
    public var description: String { rawValue }

    /// Every field an import can fill, in table order.
    public static let allCases = SiteFields.mapped.map(SiteField.init(definition:))

    /// The fields the import code names itself (the others are read by their type alone).
    public static let name = SiteField(known: "name")
    public static let siteType = SiteField(known: "site_type")
    public static let status = SiteField(known: "status")
    public static let condition = SiteField(known: "condition")
    public static let locationPrecision = SiteField(known: "location_precision")
    public static let sensitivity = SiteField(known: "sensitivity")

    init(definition: SiteFieldDefinition) {
        self.definition = definition
    }

    /// The field keyed `key` in the table. Only called with the keys above, which the table
    /// holds (the site model's tests check it), so the lookup cannot fail.
    private init(known key: String) {
        guard let definition = SiteFields.named(key) else { preconditionFailure("no site field '\(key)' in SiteFields.all") }
        self.init(definition: definition)
    }

    /// The field a mapping file names, accepting aliases such as `type` and `precision`.
    public init?(name: String) {
        guard let definition = SiteFields.named(name), definition.isMapped else { return nil }
        self.init(definition: definition)
    }

    public static func == (a: SiteField, b: SiteField) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// The values an enumerated field allows; nil for free text, numbers and dates.
    public var allowedValues: [String]? { definition.allowedValues }

    /// Whole numbers (victim counts).
    public var isInteger: Bool { definition.type == .integer }

    /// Numbers (uncertainty in metres and the counts).
    public var isNumeric: Bool { definition.isNumeric }

    /// The allowed value a text stands for: exact, or after lowercasing and turning spaces
    /// and hyphens into underscores (`Built over` → `built_over`); nil when none.
    public func canonicalValue(_ text: String) -> String? {
        guard let allowed = allowedValues else { return text }
        // Most values are already spelled as stored: skip Foundation's string work for them.
        if let exact = allowed.first(where: { $0 == text }) { return exact }
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        return allowed.first { $0 == key }
    }
}
