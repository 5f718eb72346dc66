/// Decimal text for coordinates and JSON numbers: the shortest text that reads back exactly,
/// and a scanner that reads decimal text without going through `String` in the common case.
public enum NumberText {
    /// Appends the shortest decimal text that reads back as exactly `value`.
    ///
    /// Integral values below 2^53 are written without a fraction (`3`, `-0`), values with up to
    /// nine decimals in fixed notation (`51.389`, `0.00001`), others in the standard library's
    /// shortest round-trip form (`0.30000000000000004`, `1e-07`, `1.5e+300`). The output never
    /// depends on the locale. Non-finite values are the caller's to exclude.
    static func appendShortest(_ value: Double, to out: inout [UInt8]) {
        JSONText.number(value, to: &out)
    }

    /// The shortest fixed-notation form of `value`, when it has one of at most nine decimals:
    /// |value| = `scaled` / 10^`places` exactly as read back (`places` 0 for integral values
    /// below 2^53); nil otherwise (more decimals, tiny or huge magnitudes), where the standard
    /// library's shortest round-trip text applies. The sign is the caller's to write.
    ///
    /// ```swift
    /// NumberText.fixedForm(-51.389)   // (51389, 3)
    /// NumberText.fixedForm(0.1 + 0.2) // nil: 0.30000000000000004
    /// ```
    /// Every writer of numbers finds its text through this one search (the store's JSON and
    /// WKT, and the output writers' byte sinks).
    public static func fixedForm(_ value: Double) -> (scaled: UInt64, places: Int)? {
        let magnitude = value.magnitude
        guard magnitude < 9_007_199_254_740_992 else { return nil }
        // |value| < 2^53 and integral, so the conversion is exact.
        if value.rounded(.towardZero) == value { return (UInt64(magnitude), 0) }
        // Few decimals (coordinates usually have at most 9): the first k for which
        // m / 10^k reads back as the value gives the shortest text. Both operands are exact
        // doubles, so the division is the correctly rounded reading of "m e-k".
        guard magnitude >= 1e-5 else { return nil }
        for k in 1...9 {
            let scaled = (magnitude * powersOfTen[k]).rounded()
            guard scaled < 9_007_199_254_740_992 else { return nil }
            if scaled / powersOfTen[k] == magnitude { return (UInt64(scaled), k) }
        }
        return nil
    }

    /// Appends `value` rounded to `decimals` places, written as shortest text.
    ///
    /// Values whose scaled magnitude reaches 2^53 are written unrounded (they have no
    /// fraction at that precision anyway).
    static func appendRounded(_ value: Double, decimals: Int?, to out: inout [UInt8]) {
        appendShortest(rounded(value, decimals: decimals), to: &out)
    }

    /// `value` rounded half away from zero to `decimals` places; unchanged when nil.
    static func rounded(_ value: Double, decimals: Int?) -> Double {
        guard let decimals else { return value }
        let places = Swift.max(0, Swift.min(decimals, 22))
        let scale = powersOfTen[places]
        let scaled = value * scale
        guard scaled.magnitude < 9_007_199_254_740_992 else { return value }
        return scaled.rounded() / scale
    }

    /// 10^0 … 10^22, every one exactly representable as a Double.
    static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]
}

/// Why decimal text could not be read, and where.
struct NumberSyntaxError: Error {
    let offset: Int
    let reason: String
}

extension NumberText {
    /// Reads a decimal number starting at `start`.
    ///
    /// With `strictJSON` the grammar is RFC 8259's (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`);
    /// otherwise a leading `+`, a bare leading or trailing `.` (`.5`, `5.`) and leading zeros are
    /// accepted too, as WKT writers produce them. Values with at most 15 significant digits and
    /// a small exponent are computed exactly in place (both operands are exact doubles, so one
    /// correctly rounded operation gives the correctly rounded result); longer ones go through
    /// the standard library's correctly rounded conversion. The result may be infinite when the
    /// text overflows; callers decide whether that is an error.
    ///
    /// - Returns: the value and the index just past the number.
    /// - Complexity: O(length of the number).
    static func scan(
        _ b: UnsafeBufferPointer<UInt8>, at start: Int, strictJSON: Bool
    ) throws(NumberSyntaxError) -> (value: Double, end: Int) {
        let n = b.count
        var i = start
        var negative = false
        if i < n, b[i] == UInt8(ascii: "-") || (!strictJSON && b[i] == UInt8(ascii: "+")) {
            negative = b[i] == UInt8(ascii: "-")
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var exponent = 0
        var truncated = false

        let integerStart = i
        while i < n, b[i] &- 48 < 10 {
            let d = UInt64(b[i] &- 48)
            if mantissa == 0 && d == 0 {
                // leading zero: no significance
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ d
                significant += 1
            } else {
                exponent += 1
                truncated = truncated || d != 0
            }
            i += 1
        }
        let integerDigits = i - integerStart
        if strictJSON {
            if integerDigits == 0 {
                throw NumberSyntaxError(offset: i, reason: "expected a digit")
            }
            if integerDigits > 1 && b[integerStart] == UInt8(ascii: "0") {
                throw NumberSyntaxError(offset: integerStart, reason: "a number may not start with a leading zero")
            }
        }
        var fractionDigits = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < n, b[i] &- 48 < 10 {
                let d = UInt64(b[i] &- 48)
                if mantissa == 0 && d == 0 {
                    exponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ d
                    significant += 1
                    exponent -= 1
                } else {
                    truncated = truncated || d != 0
                }
                i += 1
            }
            fractionDigits = i - fractionStart
            if fractionDigits == 0 && (strictJSON || integerDigits == 0) {
                throw NumberSyntaxError(offset: i, reason: "expected a digit after '.'")
            }
        }
        if integerDigits == 0 && fractionDigits == 0 {
            throw NumberSyntaxError(offset: i, reason: "expected a number")
        }
        if i < n, b[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var exponentNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
                exponentNegative = b[i] == UInt8(ascii: "-")
                i += 1
            }
            let exponentStart = i
            var e = 0
            while i < n, b[i] &- 48 < 10 {
                if e < 1_000_000 { e = e * 10 + Int(b[i] &- 48) }
                i += 1
            }
            if i == exponentStart {
                throw NumberSyntaxError(offset: i, reason: "expected exponent digits")
            }
            exponent += exponentNegative ? -e : e
        }

        let magnitude: Double
        if mantissa == 0 {
            magnitude = 0
        } else if !truncated && significant <= 15 && exponent >= -22 && exponent <= 22 {
            let m = Double(mantissa)
            magnitude = exponent >= 0 ? m * powersOfTen[exponent] : m / powersOfTen[-exponent]
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
            guard let parsed = Double(text) else {
                throw NumberSyntaxError(offset: start, reason: "cannot read number '\(text)'")
            }
            return (parsed, i)
        }
        return (negative ? -magnitude : magnitude, i)
    }
}
