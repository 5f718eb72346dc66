import Foundation

/// A record's identifying key, normalised so that one key written several ways is one key.
///
/// ```swift
/// RecordKey.normalised(.integer(272))                                    // "272"
/// RecordKey.normalised(.string("272.0000000000000000000000000000000"))   // "272"
/// RecordKey.normalised(.string(" V-0042 "))                              // "V-0042"
/// RecordKey.normalised(.string("  "))                                    // nil: no key
/// ```
/// Numbers (and text that is a plain decimal number) become their shortest decimal text:
/// no sign for zero, no leading zeros, no trailing zeros after the point, no point for a
/// whole number. Any other text is kept as written, without surrounding spaces. An empty or
/// missing value is no key at all: it is never replaced by anything (a record number would
/// name another record).
enum RecordKey {
    /// The key of `value`, nil when it is empty or null.
    static func normalised(_ value: AttributeValue?) -> String? {
        guard let value else { return nil }
        switch value {
        case .null: return nil
        case let .integer(i): return String(i)
        case let .double(d):
            guard d.isFinite else { return String(d) }
            if d.rounded() == d && abs(d) < 1e15 { return String(Int64(d)) }
            return decimal(String(d)) ?? String(d)
        case let .bool(b): return b ? "true" : "false"
        case let .string(s), let .date(s):
            let trimmed = s.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return nil }
            return decimal(trimmed) ?? trimmed
        }
    }

    /// The shortest form of plain decimal text (`-0012.500` → `-12.5`, `272.000` → `272`),
    /// nil when `text` is not one (an exponent, letters, a second point, no digits).
    ///
    /// - Complexity: O(n) characters.
    static func decimal(_ text: String) -> String? {
        var scalars = Substring(text).unicodeScalars[...]
        var negative = false
        if let first = scalars.first, first == "-" || first == "+" {
            negative = first == "-"
            scalars = scalars.dropFirst()
        }
        let isDigit = { (s: Unicode.Scalar) in s.value >= 48 && s.value <= 57 }
        let whole = scalars.prefix(while: isDigit)
        var rest = scalars.dropFirst(whole.count)
        var fraction = Substring.UnicodeScalarView()[...]
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: isDigit)
            rest = rest.dropFirst(fraction.count)
        }
        guard rest.isEmpty, !(whole.isEmpty && fraction.isEmpty) else { return nil }
        var integer = String(String.UnicodeScalarView(whole.drop(while: { $0 == "0" })))
        if integer.isEmpty { integer = "0" }
        var decimals = String(String.UnicodeScalarView(fraction))
        while decimals.last == "0" { decimals.removeLast() }
        let body = decimals.isEmpty ? integer : integer + "." + decimals
        return negative && body != "0" ? "-" + body : body
    }
}
