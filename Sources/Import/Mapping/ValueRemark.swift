/// A value of a record that did not fill its site field as written: the field was left
/// empty or at its default, and the value stays in the source attributes.
///
/// ```swift
/// let remark = ValueRemark(kind: .rejected, field: .condition, value: "Desaparecida",
///                          reason: "is not one of intact, …", outcome: "left as unknown")
/// remark.detail   // "condition 'Desaparecida' is not one of intact, …: left as unknown"  (the report)
/// remark.problem  // "condition 'Desaparecida' is not one of intact, …"                   (--strict's error)
/// ```
/// Each becomes a report entry of its kind, counted on the console, and fails the import
/// under `--strict`.
public struct ValueRemark: Error, Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Not a value the field takes (an unknown condition, a word for a count, a date that
        /// is not one or lies in the future): left empty or at the default.
        case rejected = "value_rejected"
        /// A number that reads two ways, or breaks the file's decimal convention: left empty.
        case ambiguous = "value_ambiguous"
    }

    public var kind: Kind
    public var field: SiteField
    /// The value as the record gave it.
    public var value: String
    /// Why it cannot be used, as a predicate: `is not a number`.
    public var reason: String
    /// What the field got instead: `left empty`, `left as unknown`.
    public var outcome: String

    public init(kind: Kind, field: SiteField, value: String, reason: String, outcome: String) {
        self.kind = kind
        self.field = field
        self.value = value
        self.reason = reason
        self.outcome = outcome
    }

    /// The field, the value and why it cannot be used.
    public var problem: String { "\(field.rawValue) '\(value)' \(reason)" }

    /// `problem` and what the field got instead, for the report.
    public var detail: String { "\(problem): \(outcome)" }
}
