import Foundation

/// A closed set of words stored as text, validated on the way in.
///
/// ```swift
/// let type = try SiteType(validating: "mass_grave")   // .massGrave
/// try SiteType(validating: "grave")                   // throws invalidValue listing the allowed words
/// ```
public protocol StoreEnumeration: RawRepresentable, CaseIterable, Hashable, Sendable where RawValue == String {
    /// The column or field name used in error messages and SQL.
    static var field: String { get }
}

extension StoreEnumeration {
    /// The value spelled `text` (trimmed, case-insensitive, `-` and spaces read as `_`).
    /// - Throws: `StoreError.invalidValue` naming the field and the allowed words.
    public init(validating text: String) throws {
        // Stored values are already exact: skip the Foundation string work for them.
        if let exact = Self(rawValue: text) {
            self = exact
            return
        }
        let key = text.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        guard let value = Self(rawValue: key) else {
            throw StoreError.invalidValue(field: Self.field, value: text, allowed: Self.allowed)
        }
        self = value
    }

    /// Every raw value, in declaration order.
    public static var allowed: [String] { allCases.map(\.rawValue) }

    /// The constraint that keeps the column to these words, as an OR of equalities:
    /// `CHECK (status = 'suspected' OR status = 'reported' …)`.
    ///
    /// Not `IN (…)`: SQLite builds a temporary b-tree for an IN list every time a CHECK runs,
    /// which made every inserted row allocate and zero a page per enumerated column.
    package static var sqlCheck: String {
        "CHECK (\(allowed.map { "\(field) = '\($0)'" }.joined(separator: " OR ")))"
    }

    /// The constraint as schema version 1 wrote it (`CHECK (column IN (...))`); kept so that
    /// migration v2 can find and replace it.
    package static var sqlCheckV1: String {
        "CHECK (\(field) IN (\(allowed.map { "'\($0)'" }.joined(separator: ", "))))"
    }
}
