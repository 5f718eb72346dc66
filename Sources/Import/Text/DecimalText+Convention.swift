import Foundation

/// Reads a number for a site field under the number convention of its file, and says when
/// a value could mean two different numbers instead of guessing.
///
/// ```swift
/// DecimalText.read("1.000", convention: .decimalComma, whole: true)   // .number(1000)
/// DecimalText.read("2.238", convention: .decimalComma, whole: true)   // .number(2238)
/// DecimalText.read("1,5", convention: .decimalComma, whole: false)    // .number(1.5)
/// DecimalText.read("1,000", convention: .decimalComma, whole: true)   // .ambiguous: a count with three decimals
/// DecimalText.read("1,000", convention: .decimalPoint, whole: true)   // .number(1000)
/// DecimalText.read("1,5", convention: .decimalPoint, whole: false)    // .ambiguous: not a grouping of three
/// DecimalText.read("1.000", convention: .unknown, whole: true)        // .ambiguous: one, or one thousand
/// DecimalText.read("0.500", convention: .unknown, whole: false)       // .number(0.5): 0 never starts a grouping
/// ```
/// Under a known convention its decimal mark is the decimal mark and the other separator
/// groups thousands (only in groups of three); a value that breaks that is ambiguous, and so
/// is a whole number (`whole`: a count) written with three decimals, the shape of a
/// thousands grouping in the other convention. Under `.unknown` and `.mixed` a value is
/// ambiguous when both readings are possible and differ. Exponents (`1e3`) are read by
/// `Double`.
extension DecimalText {
    enum Reading: Hashable {
        case number(Double)
        /// Two readings are possible, or the value breaks the file's convention; `why` says which.
        case ambiguous(why: String)
        case notANumber
    }

    static func read(_ raw: some StringProtocol, convention: NumberConvention, whole: Bool) -> Reading {
        guard let shape = NumberShape(raw) else {
            let text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\u{2212}", with: "-")
            if text.contains(where: { $0 == "e" || $0 == "E" }), let number = Double(text), number.isFinite {
                return .number(number)
            }
            return .notANumber
        }
        if shape.arabicDecimal { return shape.value(decimal: ".").map(Reading.number) ?? .notANumber }
        let asPoint = shape.value(decimal: "."), asComma = shape.value(decimal: ",")
        if let mark = convention.decimalMark {
            let other: Character = mark == "." ? "," : "."
            guard let value = mark == "." ? asPoint : asComma else {
                if (mark == "." ? asComma : asPoint) != nil {
                    return .ambiguous(why: "the file writes decimals with '\(mark)', and '\(other)' groups thousands only in threes")
                }
                return .notANumber
            }
            if whole, shape.singleSeparator == mark, shape.digitsAfterSingleSeparator == 3, asPoint != asComma,
               (mark == "." ? asComma : asPoint) != nil {
                return .ambiguous(why: "a count written with three decimals after '\(mark)' may be a thousands grouping")
            }
            return .number(value)
        }
        switch (asPoint, asComma) {
        case let (a?, b?) where a != b:
            return .ambiguous(why: "it reads as \(Self.plain(a)) with a decimal point and as \(Self.plain(b)) "
                + "with a decimal comma, and the file's numbers do not say which (\(convention.rawValue))")
        case let (a?, _): return .number(a)
        case let (_, b?): return .number(b)
        case (nil, nil): return .notANumber
        }
    }

    /// A number as plain text: `1000`, `1.5`.
    static func plain(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
