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

    /// A JSON string literal: `"` and `\` escaped, control characters as `\n`, `\t` … or
    /// `\u00XX`, everything else (non-ASCII too) as UTF-8 — the text `JSONValue.encoded()`
    /// writes, appended without going through a `JSONValue` (this runs for every cell).
    static func jsonString(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for k in 0..<bytes.count {
                let c = bytes[k]
                guard c < 0x20 || c == 0x22 || c == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<k]))
                start = k + 1
                out.append(0x5C)
                switch c {
                case 0x22, 0x5C: out.append(c)
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    ascii("u00", to: &out)
                    out.append(hexDigits[Int(c >> 4)])
                    out.append(hexDigits[Int(c & 15)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(0x22)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A number in shortest round-trip form (`null` when not finite).
    static func number(_ v: Double, to out: inout [UInt8]) {
        if v.rounded() == v, v.magnitude < 9_007_199_254_740_992 {
            if v.sign == .minus { out.append(UInt8(ascii: "-")) }
            digits(UInt64(v.magnitude), to: &out)
        } else {
            JSONValue.number(v).appendEncoded(to: &out)
        }
    }

    /// `v` rounded half away from zero to `decimals` places, in shortest form: the decimal
    /// digits of the rounded value with trailing zeros dropped, which is the shortest text
    /// that reads back as that double (a double that far below 2^53 / 10^decimals has no
    /// shorter decimal). Larger or non-finite values take `number(_:to:)`.
    static func number(_ v: Double, decimals: Int, to out: inout [UInt8]) {
        withRounded(v, decimals: decimals) { out.append(contentsOf: $0) }
    }

    /// Calls `body` with the text `number(_:decimals:to:)` writes, from a stack buffer, so that
    /// a writer can place one number several times (a point's `bbox` and coordinates).
    static func withRounded(_ v: Double, decimals: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let places = max(0, min(decimals, 15))
        let scaled = (v * powersOfTen[places]).rounded()
        guard scaled.magnitude < 9_007_199_254_740_992, places > 0 else {
            var text: [UInt8] = []
            number(rounded(v, decimals), to: &text)
            text.withUnsafeBufferPointer(body)
            return
        }
        var m = UInt64(scaled.magnitude)
        var fraction = places
        while fraction > 0, m % 10 == 0 {
            m /= 10
            fraction -= 1
        }
        // Digits from the end into a stack buffer: at most 16 digits, a point and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var i = 24
            var rest = m
            var written = 0
            repeat {
                if written == fraction, fraction > 0 {
                    i -= 1
                    buffer[i] = UInt8(ascii: ".")
                }
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                rest /= 10
                written += 1
            } while rest > 0 || written <= fraction
            if scaled.sign == .minus {
                i -= 1
                buffer[i] = UInt8(ascii: "-")
            }
            body(UnsafeBufferPointer(rebasing: buffer[i..<24]))
        }
    }

    /// The decimal digits of `n`.
    static func digits(_ n: UInt64, to out: inout [UInt8]) {
        if n < 10 {
            out.append(UInt8(truncatingIfNeeded: n) &+ 48)
            return
        }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var i = 20
            var v = n
            while v > 0 {
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<20]))
        }
    }

    static func integer(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 { out.append(UInt8(ascii: "-")) }
        digits(v.magnitude, to: &out)
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
