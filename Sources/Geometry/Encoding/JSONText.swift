/// The one writer of JSON text (RFC 8259) in GraveAtlas: strings, numbers and values, into any
/// byte sink; every format that writes JSON — GeoJSON and JSON rows, TileJSON, map styles,
/// manifests, import reports, audit details, the command line's output — goes through it.
///
/// ```swift
/// var out: [UInt8] = []
/// JSONText.string("خاوران \"1988\"\n", to: &out)   // "خاوران \"1988\"\n" (quotes escaped)
/// JSONText.number(0.1 + 0.2, to: &out)              // 0.30000000000000004
/// JSONText.number(.nan, to: &out)                   // null
/// ```
/// Strings: `"` and `\` escaped, control characters U+0000–U+001F as `\n`, `\r`, `\t`, `\b`,
/// `\f` or `\u00XX`; everything else — non-ASCII, right-to-left marks, U+2028/U+2029, emoji —
/// as UTF-8. A Swift `String` is always valid Unicode (a lone UTF-16 surrogate decoded from a
/// file became U+FFFD on the way in), so the text is always valid UTF-8 and valid JSON.
/// Numbers: the shortest text that reads back as the same double (integers without `.0`, no
/// locale); NaN and infinities, which JSON cannot hold, are `null`.
/// - Complexity: O(n) in the text written; strings with nothing to escape are one scan (eight
///   bytes at a time) and one copy.
public enum JSONText {
    /// A JSON string literal of `s`.
    @inlinable
    public static func string<Sink: ByteSink>(_ s: String, to out: inout Sink) {
        var s = s
        s.withUTF8 { string(utf8: $0, to: &out) }
    }

    /// A JSON string literal of UTF-8 text already in memory (the caller vouches it is UTF-8).
    @inlinable
    public static func string<Sink: ByteSink>(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout Sink) {
        out.append(byte: 0x22)
        // Most text has nothing to escape: one scan, then one copy.
        var start = 0
        let n = bytes.count
        while true {
            let k = ByteScan.firstJSONSpecial(bytes, from: start)
            guard k < n else { break }
            let c = bytes[k]
            out.append(bytes: UnsafeBufferPointer(rebasing: bytes[start..<k]))
            start = k + 1
            out.append(byte: 0x5C)
            switch c {
            case 0x22, 0x5C: out.append(byte: c)
            case 0x0A: out.append(byte: UInt8(ascii: "n"))
            case 0x0D: out.append(byte: UInt8(ascii: "r"))
            case 0x09: out.append(byte: UInt8(ascii: "t"))
            case 0x08: out.append(byte: UInt8(ascii: "b"))
            case 0x0C: out.append(byte: UInt8(ascii: "f"))
            default:
                out.append(byte: UInt8(ascii: "u"))
                out.append(byte: UInt8(ascii: "0"))
                out.append(byte: UInt8(ascii: "0"))
                out.append(byte: hexDigit(c >> 4))
                out.append(byte: hexDigit(c & 15))
            }
        }
        out.append(bytes: UnsafeBufferPointer(rebasing: bytes[start...]))
        out.append(byte: 0x22)
    }

    @inlinable @inline(__always)
    static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? v &+ 48 : v &+ 87 }

    /// A number in shortest round-trip form, `null` when not finite.
    @inlinable
    public static func number<Sink: ByteSink>(_ v: Double, to out: inout Sink) {
        guard v.isFinite else {
            literal("null", to: &out)
            return
        }
        guard let form = NumberText.fixedForm(v) else {
            // More than nine decimals, or a tiny or huge magnitude: the standard library's
            // shortest round-trip text (`1e-07`, `1.5e+300`, `0.30000000000000004`).
            var text = v.description
            text.withUTF8 { out.append(bytes: $0) }
            return
        }
        withFixedDigits(form.scaled, places: form.places, negative: v.sign == .minus) { out.append(bytes: $0) }
    }

    /// Calls `body` with `m / 10^places` written in fixed notation (`places` fraction digits,
    /// none and no point when 0), `-` first when `negative`; from a stack buffer.
    ///
    /// ```swift
    /// JSONText.withFixedDigits(51_548_500, places: 6, negative: false) { … }   // "51.548500"
    /// ```
    @inlinable @inline(__always)
    public static func withFixedDigits(_ m: UInt64, places: Int, negative: Bool,
                                       _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        // Digits from the end into a stack buffer: at most 20 digits, a point and a sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
            var i = 32
            var rest = m
            var written = 0
            repeat {
                if written == places, places > 0 {
                    i -= 1
                    buffer[i] = UInt8(ascii: ".")
                }
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                rest /= 10
                written += 1
            } while rest > 0 || written <= places
            if negative {
                i -= 1
                buffer[i] = UInt8(ascii: "-")
            }
            body(UnsafeBufferPointer(rebasing: buffer[i..<32]))
        }
    }

    /// An integer's decimal digits.
    @inlinable
    public static func integer<Sink: ByteSink>(_ v: Int64, to out: inout Sink) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { buffer in
            var i = 24
            var rest = v.magnitude
            repeat {
                i -= 1
                buffer[i] = UInt8(truncatingIfNeeded: rest % 10) &+ 48
                rest /= 10
            } while rest > 0
            if v < 0 {
                i -= 1
                buffer[i] = UInt8(ascii: "-")
            }
            out.append(bytes: UnsafeBufferPointer(rebasing: buffer[i..<24]))
        }
    }

    /// `true` or `false`.
    @inlinable
    public static func bool<Sink: ByteSink>(_ b: Bool, to out: inout Sink) {
        b ? literal("true", to: &out) : literal("false", to: &out)
    }

    /// ASCII text written as it is (`null`, punctuation).
    @inlinable @inline(__always)
    public static func literal<Sink: ByteSink>(_ s: StaticString, to out: inout Sink) {
        out.append(bytes: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// A JSON value in compact form: no whitespace, members in their order.
    public static func value<Sink: ByteSink>(_ value: JSONValue, to out: inout Sink) {
        switch value {
        case .null: literal("null", to: &out)
        case let .bool(b): bool(b, to: &out)
        case let .number(n): number(n, to: &out)
        case let .string(s): string(s, to: &out)
        case let .array(a):
            out.append(byte: UInt8(ascii: "["))
            for k in a.indices {
                if k > 0 { out.append(byte: UInt8(ascii: ",")) }
                self.value(a[k], to: &out)
            }
            out.append(byte: UInt8(ascii: "]"))
        case let .object(o):
            out.append(byte: UInt8(ascii: "{"))
            for k in o.members.indices {
                if k > 0 { out.append(byte: UInt8(ascii: ",")) }
                string(o.members[k].key, to: &out)
                out.append(byte: UInt8(ascii: ":"))
                self.value(o.members[k].value, to: &out)
            }
            out.append(byte: UInt8(ascii: "}"))
        }
    }
}
