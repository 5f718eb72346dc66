/// A number as written, taken apart: its sign, its digits and where `.` and `,` occur, so
/// that the two readings of a separator (decimal mark or thousands grouping) can be weighed.
///
/// ```swift
/// NumberShape("1.234,5")?.unambiguousDecimalMark   // ","
/// NumberShape("-0,4437")?.unambiguousDecimalMark   // ","
/// NumberShape("1.000")?.unambiguousDecimalMark     // nil: one thousand, or one
/// NumberShape("Paterna")                           // nil: not a number
/// ```
/// Persian and Arabic-Indic digits read as ASCII digits; the Arabic decimal separator
/// (U+066B) is a decimal mark and the Arabic thousands separator (U+066C) and spaces group
/// thousands, both without ambiguity; U+2212 is a minus sign. Exponents (`1e5`) are not
/// taken apart: such values are left to `Double`.
struct NumberShape: Hashable {
    /// `-` or empty.
    var sign: String
    /// The digits and the separators `.` and `,`, nothing else.
    var body: [Character]
    /// The Arabic decimal separator was used: `body` has exactly one `.`, the decimal mark.
    var arabicDecimal = false

    init?(_ raw: some StringProtocol) {
        var sign = "", body: [Character] = [], arabicDecimal = false
        var started = false
        for scalar in raw.unicodeScalars {
            switch scalar.value {
            case 0x30...0x39: body.append(Character(scalar))
            case 0x06F0...0x06F9, 0x0660...0x0669:
                let base: UInt32 = scalar.value >= 0x06F0 ? 0x06F0 : 0x0660
                body.append(Character(String(scalar.value - base)))
            case 0x066B:
                if arabicDecimal { return nil }
                arabicDecimal = true
                body.append(".")
            case 0x2E: body.append(".")
            case 0x2C: body.append(",")
            case 0x066C, 0x20, 0x09, 0xA0, 0x2009, 0x202F: continue
            case 0x2D, 0x2212, 0x2B:
                guard !started, sign.isEmpty, body.isEmpty else { return nil }
                if scalar.value != 0x2B { sign = "-" }
                continue
            default: return nil
            }
            started = true
        }
        guard body.contains(where: \.isNumber) else { return nil }
        if arabicDecimal, body.contains(",") || body.filter({ $0 == "." }).count > 1 { return nil }
        self.sign = sign
        self.body = body
        self.arabicDecimal = arabicDecimal
    }

    private var commas: Int { body.filter { $0 == "," }.count }
    private var dots: Int { body.filter { $0 == "." }.count }

    /// The decimal mark the value can only have been written with, if any.
    var unambiguousDecimalMark: Character? {
        if arabicDecimal { return nil }
        let (c, d) = (commas, dots)
        if c > 0 && d > 0 {
            guard let last = body.last(where: { $0 == "." || $0 == "," }) else { return nil }
            return value(decimal: last) == nil ? nil : last
        }
        if c + d == 0 { return nil }
        let mark: Character = c > 0 ? "," : "."
        if c + d > 1 {
            // Repeated: only a grouping; the decimal mark is the other one.
            return value(decimal: mark == "," ? "." : ",") == nil ? nil : (mark == "," ? "." : ",")
        }
        return value(decimal: mark) != nil && value(decimal: mark == "," ? "." : ",") == nil ? mark : nil
    }

    /// The value when `decimal` is the decimal mark and the other separator groups
    /// thousands (a first group of one to three digits not starting with 0, then groups of
    /// three); nil when the text cannot be read so.
    func value(decimal: Character) -> Double? {
        let grouping: Character = decimal == "." ? "," : "."
        var integer: [Character] = [], fraction: [Character]?
        var groups: [[Character]] = [[]]
        for c in body {
            if fraction != nil {
                guard c.isNumber else { return nil }
                fraction?.append(c)
            } else if c == decimal {
                fraction = []
            } else if c == grouping {
                groups.append([])
            } else {
                groups[groups.count - 1].append(c)
            }
        }
        if groups.count > 1 {
            guard let first = groups.first, (1...3).contains(first.count), first.first != "0",
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
        }
        integer = groups.flatMap { $0 }
        if integer.isEmpty && (fraction ?? []).isEmpty { return nil }
        if let fraction, fraction.isEmpty { return nil }
        let text = sign + (integer.isEmpty ? "0" : String(integer)) + (fraction.map { "." + String($0) } ?? "")
        guard let number = Double(text), number.isFinite else { return nil }
        return number
    }

    /// Digits after the only separator, when there is exactly one separator.
    var digitsAfterSingleSeparator: Int? {
        guard commas + dots == 1, let index = body.firstIndex(where: { $0 == "." || $0 == "," }) else { return nil }
        return body.distance(from: index, to: body.endIndex) - 1
    }

    /// The only separator, when there is exactly one.
    var singleSeparator: Character? {
        commas + dots == 1 ? body.first { $0 == "." || $0 == "," } : nil
    }
}
