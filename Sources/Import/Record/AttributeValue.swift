import Geometry

/// One attribute value as the source file typed it.
///
/// ```swift
/// AttributeValue.integer(42).text      // "42"
/// AttributeValue.date("1988-07-29")    // a calendar date, ISO 8601
/// ```
/// Strings are decoded to Unicode (the source's encoding is reported, never guessed in
/// silence); numbers keep the precision the source gave; a missing value is `.null`, which is
/// different from an empty string.
public enum AttributeValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    /// An ISO 8601 calendar date (`YYYY-MM-DD`) or date-time as written by the source.
    case date(String)
    case null

    /// The value as text, as a spreadsheet would show it; nil for `.null`.
    public var text: String? {
        switch self {
        case let .string(s): s
        case let .integer(i): String(i)
        case let .double(d): d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case let .bool(b): b ? "true" : "false"
        case let .date(d): d
        case .null: nil
        }
    }

    /// The value as a number, when it is one or is text that reads as one.
    public var number: Double? {
        switch self {
        case let .integer(i): Double(i)
        case let .double(d): d
        case let .string(s): DecimalText.parse(s)
        default: nil
        }
    }

    /// The JSON-ish name of the type (`string`, `integer`, `double`, `bool`, `date`, `null`).
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .double: "double"
        case .bool: "bool"
        case .date: "date"
        case .null: "null"
        }
    }

    public var description: String { text ?? "null" }
}

/// An attribute under its field's name (the key), in the order the source lists its fields.
public typealias Attribute = KeyValue<AttributeValue>
