import Geometry

/// The byte-level pieces every text writer shares: JSON strings and numbers, CSV cells,
/// coordinates rounded to a number of decimals. Writers append into one buffer, never through
/// `String` formatting or `JSONSerialization`.
///
/// ```swift
/// var out: [UInt8] = []
/// OutputBytes.json(.string("خاوران"), to: &out)      // "خاوران"
/// OutputBytes.number(37.050000000000004, decimals: 7, to: &out)   // 37.05
/// OutputBytes.csvCell("a,b", to: &out)                 // "a,b" quoted
/// ```
/// Numbers are the shortest text that reads back as the same double (integers without `.0`);
/// non-finite numbers are `null` in JSON and empty in CSV.
enum OutputBytes {
    static func ascii(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    static func utf8(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// A JSON string literal.
    static func jsonString(_ s: String, to out: inout [UInt8]) {
        JSONValue.string(s).appendEncoded(to: &out)
    }

    /// A number in shortest round-trip form (`null` when not finite).
    static func number(_ v: Double, to out: inout [UInt8]) {
        JSONValue.number(v).appendEncoded(to: &out)
    }

    /// `v` rounded half away from zero to `decimals` places, then in shortest form.
    static func number(_ v: Double, decimals: Int, to out: inout [UInt8]) {
        number(rounded(v, decimals), to: &out)
    }

    static func integer(_ v: Int64, to out: inout [UInt8]) {
        if v.magnitude < (1 << 53) {
            JSONValue.number(Double(v)).appendEncoded(to: &out)
        } else {
            utf8(String(v), to: &out)
        }
    }

    /// A property value as JSON.
    static func json(_ value: PropertyValue, to out: inout [UInt8]) {
        switch value {
        case let .string(s): jsonString(s, to: &out)
        case let .int(i): integer(i, to: &out)
        case let .double(d): number(d, to: &out)
        case let .bool(b): b ? ascii("true", to: &out) : ascii("false", to: &out)
        case .null: ascii("null", to: &out)
        }
    }

    /// A property value as text (CSV, KML, the table, filters): strings as they are, numbers
    /// in shortest form, booleans `true`/`false`, null and non-finite numbers empty.
    static func text(_ value: PropertyValue, to out: inout [UInt8]) {
        switch value {
        case let .string(s): utf8(s, to: &out)
        case let .int(i): integer(i, to: &out)
        case let .double(d): if d.isFinite { number(d, to: &out) }
        case let .bool(b): b ? ascii("true", to: &out) : ascii("false", to: &out)
        case .null: break
        }
    }

    /// A CSV cell (RFC 4180): quoted, quotes doubled, when it holds a comma, quote, CR or LF.
    static func csvCell(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { bytes in
            guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(0x22)
            for b in bytes {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        }
    }

    /// A property value as a CSV cell.
    static func csv(_ value: PropertyValue, to out: inout [UInt8]) {
        if case let .string(s) = value { csvCell(s, to: &out) } else { text(value, to: &out) }
    }

    /// A source attribute value as a property value: numbers that are whole become integers,
    /// arrays and objects their compact JSON text.
    static func property(_ value: JSONValue) -> PropertyValue {
        switch value {
        case .null: .null
        case let .bool(b): .bool(b)
        case let .number(n): n.rounded() == n && n.magnitude < 9_007_199_254_740_992 ? .int(Int64(n)) : .double(n)
        case let .string(s): .string(s)
        case .array, .object: .string(value.encoded())
        }
    }

    /// The value as text, as `text(_:to:)` writes it.
    static func text(_ value: PropertyValue) -> String {
        var out: [UInt8] = []
        text(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func rounded(_ v: Double, _ decimals: Int) -> Double {
        let scale = powersOfTen[max(0, min(decimals, 22))]
        let scaled = v * scale
        guard scaled.magnitude < 9_007_199_254_740_992 else { return v }
        let r = scaled.rounded() / scale
        return r.isFinite ? r : v
    }

    /// 10^0 … 10^22, each exactly representable.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}
