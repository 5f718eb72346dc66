import Foundation

/// The fields of a site that an import can fill, by the names mapping files use, with the
/// values the enumerated ones allow (as the store defines them).
///
/// ```swift
/// SiteField(name: "type")              // .siteType (an accepted alias)
/// SiteField.status.allowedValues       // ["suspected", "reported", "corroborated", "confirmed"]
/// ```
public enum SiteField: String, CaseIterable, Hashable, Sendable {
    case name, description
    case siteType = "site_type"
    case status, condition
    case locationPrecision = "location_precision"
    case uncertaintyM = "uncertainty_m"
    case victimsMin = "victims_min"
    case victimsMax = "victims_max"
    case victimsIdentified = "victims_identified"
    case period, date, sensitivity

    /// The field a mapping file names, accepting `type` and `precision` as aliases.
    public init?(name: String) {
        switch name.lowercased() {
        case "type": self = .siteType
        case "precision": self = .locationPrecision
        default: self.init(rawValue: name.lowercased())
        }
    }

    /// The values an enumerated field allows; nil for free text and numbers.
    public var allowedValues: [String]? {
        switch self {
        case .siteType:
            ["mass_grave", "individual_grave", "cemetery", "cemetery_section", "execution_site", "suspected_site", "memorial"]
        case .status: ["suspected", "reported", "corroborated", "confirmed"]
        case .condition: ["intact", "damaged", "destroyed", "built_over", "exhumed", "relocated", "unknown"]
        case .locationPrecision: ["exact", "approximate", "representative", "locality", "region"]
        case .sensitivity: ["public", "restricted", "confidential"]
        default: nil
        }
    }

    /// Whole numbers (victim counts).
    public var isInteger: Bool { [.victimsMin, .victimsMax, .victimsIdentified].contains(self) }

    /// Numbers (uncertainty in metres and the counts).
    public var isNumeric: Bool { isInteger || self == .uncertaintyM }

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
