import Foundation

/// What in a date's text says it is Solar Hijri: a suffix (`SH`, `AP`, `ه.ش`, `ش`), Persian or
/// Arabic-Indic digits, or a Persian month name (`مرداد`, `Mordad`); and the text taken apart
/// into year, month and day.
///
/// ```swift
/// PartialDate.Text("1367-05 SH")       // calendar .solarHijri, fields [1367, 5]
/// PartialDate.Text("۱۳۶۷/۰۵/۱۰")       // .solarHijri (Persian digits), [1367, 5, 10]
/// PartialDate.Text("10 Mordad 1367")   // .solarHijri (month name), [1367, 5, 10]
/// PartialDate.Text("1348")             // no mark: nil calendar, [1348]
/// ```
/// A text without a mark has no calendar of its own: the caller's declared calendar applies,
/// else Gregorian.
extension PartialDate {
    struct Text {
        /// `.solarHijri` when the text says so; nil when it says nothing.
        var calendar: Calendar?
        /// Year, then month and day when given.
        var fields: [Int]

        /// - Throws: `StoreError.invalidDate` when the text is none of the accepted forms.
        init(_ original: String) throws {
            var marked = false
            var body = ""
            for character in original {
                if let digit = PartialDate.asciiDigit(character) {
                    marked = true
                    body.append(digit)
                } else {
                    body.append(character)
                }
            }
            body = body.trimmingCharacters(in: .whitespaces)
            for suffix in Self.suffixes where body.hasSuffix(suffix) {
                body = String(body.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
                marked = true
                break
            }
            // Month names are looked for only in text with letters (folding is costly).
            if body.contains(where: \.isLetter), let named = try Self.monthNamed(body, original: original) {
                fields = named
                calendar = .solarHijri
                return
            }
            let parts = body.split(separator: body.contains("/") ? "/" : "-", omittingEmptySubsequences: false)
            guard (1...3).contains(parts.count), let first = parts.first, first.count == 4,
                  parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } })
            else {
                throw StoreError.invalidDate(text: original, reason: "expected YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fields = parts.compactMap { Int($0) }
            calendar = marked ? .solarHijri : nil
        }

        /// Suffixes that mark a Solar Hijri year, longest first (`ه.ش` before `ش`).
        static let suffixes = [
            "ه.ش.", "ه.ش", "ه‍.ش", "هـ.ش", "ه ش", "هش", " SH", "SH", " AP", "AP", "ش",
        ]

        /// Persian month names (Persian script, then Latin transliterations), 1…12.
        static let monthNames: [String: Int] = {
            let persian = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
            let latin = ["farvardin", "ordibehesht", "khordad", "tir", "mordad", "shahrivar", "mehr", "aban", "azar", "dey",
                         "bahman", "esfand"]
            var names: [String: Int] = [:]
            for (i, name) in persian.enumerated() { names[fold(name)] = i + 1 }
            for (i, name) in latin.enumerated() { names[fold(name)] = i + 1 }
            for (name, month) in [("امرداد", 5), ("amordad", 5), ("dei", 10), ("esfend", 12)] { names[fold(name)] = month }
            return names
        }()

        /// A month name as looked up: case, accents and the Arabic forms of ye and kaf folded.
        static func fold(_ name: some StringProtocol) -> String {
            name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
                .replacingOccurrences(of: "ي", with: "ی").replacingOccurrences(of: "ك", with: "ک")
        }

        /// `[day] Month year` with a Persian month name; nil when no word is a month name.
        static func monthNamed(_ body: String, original: String) throws -> [Int]? {
            let words = body.split { $0 == " " || $0 == "," || $0 == "،" || $0 == "-" || $0 == "/" }
            guard let monthIndex = words.firstIndex(where: { monthNames[fold($0)] != nil }),
                  let month = monthNames[fold(words[monthIndex])] else { return nil }
            let numbers = words.enumerated().filter { $0.offset != monthIndex }.map(\.element)
            guard numbers.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let year = numbers.first(where: { $0.count == 4 }).flatMap({ Int($0) }) else {
                throw StoreError.invalidDate(text: original, reason: "expected [day] month year, such as 10 Mordad 1367")
            }
            let days = numbers.filter { $0.count != 4 }
            guard days.count <= 1, numbers.count == days.count + 1 else {
                throw StoreError.invalidDate(text: original, reason: "expected [day] month year, such as 10 Mordad 1367")
            }
            if let day = days.first.flatMap({ Int($0) }) { return [year, month, day] }
            return [year, month]
        }
    }

    /// Persian (U+06F0…) and Arabic-Indic (U+0660…) digits as ASCII; nil for anything else.
    static func asciiDigit(_ c: Character) -> Character? {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return nil }
        for base: UInt32 in [0x06F0, 0x0660] where (base...(base + 9)).contains(scalar.value) {
            return Character(String(scalar.value - base))
        }
        return nil
    }
}
