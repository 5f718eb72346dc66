/// The value of one site field as the field table (`SiteFields.all`) reads and writes it:
/// text (enumerations as their stored words), a whole number, a number, or a partial date.
///
/// ```swift
/// SiteFields.named("victims_min")?.value(of: site)   // .integer(240)
/// SiteFields.named("site_type")?.value(of: site)     // .text("mass_grave")
/// SiteFieldValue.real(10).auditText                  // "10.0"
/// ```
public enum SiteFieldValue: Hashable, Sendable {
    case text(String)
    case integer(Int)
    case real(Double)
    case date(PartialDate)

    /// The value as an audit entry writes it: text as it is, numbers as Swift prints them
    /// (`240`, `10.0`), a date as it was given (`1367-05 SH`).
    public var auditText: String {
        switch self {
        case let .text(text): text
        case let .integer(number): String(number)
        case let .real(number): String(number)
        case let .date(date): date.original
        }
    }

    /// The text of a `.text` value; nil for any other.
    public var text: String? {
        if case let .text(text) = self { return text }
        return nil
    }

    /// The number of an `.integer` value; nil for any other.
    public var integer: Int? {
        if case let .integer(number) = self { return number }
        return nil
    }

    /// The number of a `.real` value; nil for any other.
    public var real: Double? {
        if case let .real(number) = self { return number }
        return nil
    }

    /// The date of a `.date` value; nil for any other.
    public var date: PartialDate? {
        if case let .date(date) = self { return date }
        return nil
    }
}
