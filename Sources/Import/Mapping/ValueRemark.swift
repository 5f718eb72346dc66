/// A value of a record that did not fill its site field as written: the field was left
/// empty or at its default, and the value stays in the source attributes.
///
/// ```swift
/// ValueRemark(kind: .rejected, field: .condition, value: "Desaparecida",
///             detail: "condition 'Desaparecida' is not one of intact, …: left as unknown")
/// ValueRemark(kind: .ambiguous, field: .victimsMin, value: "1.000", detail: "victims_min '1.000' is ambiguous: …")
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
    /// One sentence naming the field, the value, why, and what the field got instead.
    public var detail: String

    public init(kind: Kind, field: SiteField, value: String, detail: String) {
        self.kind = kind
        self.field = field
        self.value = value
        self.detail = detail
    }
}
