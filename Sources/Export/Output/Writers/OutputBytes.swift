import Geometry

/// The byte-level pieces every output row writer shares: JSON strings and numbers and CSV cells
/// (from Geometry's `JSONText` and `CSVText`, the one JSON and CSV writer), coordinates rounded
/// to a number of decimals. Writers append into one buffer, never through `String` formatting
/// or `JSONSerialization`.
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
    static func ascii<Sink: ByteSink>(_ s: StaticString, to out: inout Sink) {
        out.append(bytes: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    static func utf8<Sink: ByteSink>(_ s: String, to out: inout Sink) {
        var s = s
        s.withUTF8 { out.append(bytes: $0) }
    }

    /// A JSON string literal, as `JSONText.string` writes it (the one JSON writer; this
    /// runs for every cell, specialised for the sink).
    @inline(__always)
    static func jsonString<Sink: ByteSink>(_ s: String, to out: inout Sink) {
        JSONText.string(s, to: &out)
    }

    /// A number in shortest round-trip form (`null` when not finite), as `JSONText.number`
    /// writes it.
    @inline(__always)
    static func number<Sink: ByteSink>(_ v: Double, to out: inout Sink) {
        JSONText.number(v, to: &out)
    }

    /// `v` rounded half away from zero to `decimals` places, in shortest form: the decimal
    /// digits of the rounded value with trailing zeros dropped, which is the shortest text
    /// that reads back as that double (a double that far below 2^53 / 10^decimals has no
    /// shorter decimal). Larger or non-finite values take `number(_:to:)`.
    static func number<Sink: ByteSink>(_ v: Double, decimals: Int, to out: inout Sink) {
        withRounded(v, decimals: decimals) { out.append(bytes: $0) }
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
        fixed(UInt64(scaled.magnitude), places: places, negative: scaled.sign == .minus, body)
    }

    /// Calls `body` with `m / 10^places` in fixed notation, trailing fraction zeros (and a
    /// point left without digits) dropped, `-` first when `negative`; from a stack buffer.
    @inline(__always)
    static func fixed(_ m: UInt64, places: Int, negative: Bool, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var m = m
        var fraction = places
        while fraction > 0, m % 10 == 0 {
            m /= 10
            fraction -= 1
        }
        JSONText.withFixedDigits(m, places: fraction, negative: negative, body)
    }

    @inline(__always)
    static func integer<Sink: ByteSink>(_ v: Int64, to out: inout Sink) {
        JSONText.integer(v, to: &out)
    }

    /// A property value as JSON: as `text` writes it, but strings quoted and escaped, and
    /// null and non-finite numbers (which JSON has no number for) `null`.
    static func json<Sink: ByteSink>(_ value: PropertyValue, to out: inout Sink) {
        switch value {
        case let .string(s): jsonString(s, to: &out)
        case .null: ascii("null", to: &out)
        case let .double(d) where !d.isFinite: ascii("null", to: &out)
        case .int, .double, .bool: text(value, to: &out)
        }
    }

    /// A JSON object in compact form, members in order: the text
    /// `JSONValue.object(object).encoded()` gives.
    static func json<Sink: ByteSink>(_ object: JSONObject, to out: inout Sink) {
        out.append(byte: UInt8(ascii: "{"))
        for k in object.members.indices {
            if k > 0 { out.append(byte: UInt8(ascii: ",")) }
            jsonString(object.members[k].key, to: &out)
            out.append(byte: UInt8(ascii: ":"))
            json(object.members[k].value, to: &out)
        }
        out.append(byte: UInt8(ascii: "}"))
    }

    /// A JSON value in compact form, as `JSONText.value` writes it.
    static func json<Sink: ByteSink>(_ value: JSONValue, to out: inout Sink) {
        JSONText.value(value, to: &out)
    }

    /// A property value as text (CSV, KML, the table, filters): strings as they are, numbers
    /// in shortest form, booleans `true`/`false`, null and non-finite numbers empty.
    static func text<Sink: ByteSink>(_ value: PropertyValue, to out: inout Sink) {
        switch value {
        case let .string(s): utf8(s, to: &out)
        case let .int(i): integer(i, to: &out)
        case let .double(d): if d.isFinite { number(d, to: &out) }
        case let .bool(b): b ? ascii("true", to: &out) : ascii("false", to: &out)
        case .null: break
        }
    }

    /// A CSV cell (RFC 4180), as `CSVText.field` writes it: quoted, quotes doubled, when it
    /// holds a comma, quote, CR or LF.
    @inline(__always)
    static func csvCell<Sink: ByteSink>(_ s: String, to out: inout Sink) {
        CSVText.field(s, to: &out)
    }

    /// A property value as a CSV cell.
    static func csv<Sink: ByteSink>(_ value: PropertyValue, to out: inout Sink) {
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
