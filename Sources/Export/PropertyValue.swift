/// One attribute value of an exported feature: what GeoJSON, CSV, KML and MVT can all carry.
///
/// ```swift
/// let props: [(String, PropertyValue)] = [("name", "Khavaran"), ("victims_min", 2000)]
/// ```
/// Integers stay integers (MVT `sint_value`, JSON without a decimal point); doubles that are
/// not finite are written as null by the text formats.
public enum PropertyValue: Hashable, Sendable, CustomStringConvertible {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case null

    /// The value as text, as CSV and KML show it (null is the empty string).
    public var description: String {
        switch self {
        case let .string(s): s
        case let .int(i): String(i)
        case let .double(d): d.isFinite ? String(d) : ""
        case let .bool(b): b ? "true" : "false"
        case .null: ""
        }
    }

    public var isNull: Bool { self == .null }
}

extension PropertyValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
