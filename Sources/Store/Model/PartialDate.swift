import Foundation

/// A date known to the year, the month or the day, in the Gregorian or Solar Hijri calendar,
/// with the text it was read from.
///
/// ```swift
/// let d = try PartialDate(parsing: "1367-05")   // Mordad 1367 SH
/// d.iso        // "1988-07-23/1988-08-22": the Gregorian days it can mean
/// d.earliest   // "1988-07-23"
/// d.original   // "1367-05"
/// try PartialDate(parsing: "1988-08").iso        // "1988-08"
/// ```
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` with `-` or `/` and Persian or Arabic-Indic digits.
/// Years 1178…1499 (or any year with an `SH` suffix) are read as Solar Hijri; other years as
/// Gregorian. A Gregorian partial date keeps its ISO 8601 reduced form; a Solar Hijri one
/// becomes the ISO 8601 interval of the Gregorian days it covers (one day for a full date).
public struct PartialDate: Hashable, Sendable, CustomStringConvertible {
    public enum Calendar: String, Hashable, Sendable { case gregorian, solarHijri = "solar_hijri" }
    public enum Precision: String, Hashable, Sendable { case year, month, day }

    /// The text as given.
    public let original: String
    public let calendar: Calendar
    public let precision: Precision
    /// ISO 8601: `1988`, `1988-08`, `1988-08-01`, or an interval `1988-07-23/1988-08-22`.
    public let iso: String
    /// First and last Gregorian day the date can mean, `YYYY-MM-DD`.
    public let earliest: String
    public let latest: String

    public var description: String { iso }

    /// Reads `text`; see the type's documentation for the forms.
    /// - Throws: `StoreError.invalidDate` naming the text and what is wrong with it.
    public init(parsing text: String) throws {
        original = text
        var body = String(text.map(Self.asciiDigit)).trimmingCharacters(in: .whitespaces)
        var forceSolar = false
        for suffix in [" SH", "SH", " ش", "ش", " AP", "AP"] where body.hasSuffix(suffix) {
            body = String(body.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            forceSolar = true
            break
        }
        let parts = body.split(separator: body.contains("/") ? "/" : "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), let first = parts.first, first.count == 4,
              parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(\.isASCII) }),
              let numbers = Optional(parts.compactMap { Int($0) }), numbers.count == parts.count
        else {
            throw StoreError.invalidDate(text: text, reason: "expected YYYY, YYYY-MM or YYYY-MM-DD")
        }
        let year = numbers[0], month = numbers.count > 1 ? numbers[1] : nil, day = numbers.count > 2 ? numbers[2] : nil
        let solar = forceSolar || (1178...1499).contains(year)
        calendar = solar ? .solarHijri : .gregorian
        precision = day != nil ? .day : (month != nil ? .month : .year)
        if let month, !(1...12).contains(month) {
            throw StoreError.invalidDate(text: text, reason: "month \(month) is not 1…12")
        }
        if solar {
            guard SolarHijri.supportedYears.contains(year) else {
                throw StoreError.invalidDate(text: text, reason: "Solar Hijri year \(year) is outside 1178…1633")
            }
            let firstMonth = month ?? 1, lastMonth = month ?? 12
            let lastDay = SolarHijri.daysInMonth(year: year, month: lastMonth)
            if let day, !(1...SolarHijri.daysInMonth(year: year, month: firstMonth)).contains(day) {
                throw StoreError.invalidDate(text: text, reason: "day \(day) is not in month \(firstMonth) of \(year) SH")
            }
            let from = SolarHijri.gregorian(year: year, month: firstMonth, day: day ?? 1)
            let to = SolarHijri.gregorian(year: year, month: lastMonth, day: day ?? lastDay)
            earliest = Self.format(from.year, from.month, from.day)
            latest = Self.format(to.year, to.month, to.day)
            iso = earliest == latest ? earliest : "\(earliest)/\(latest)"
        } else {
            let lastMonth = month ?? 12
            let lastDay = GregorianDay.daysInMonth(year: year, month: lastMonth)
            if let month, let day, !(1...GregorianDay.daysInMonth(year: year, month: month)).contains(day) {
                throw StoreError.invalidDate(text: text, reason: "day \(day) is not in month \(month) of \(year)")
            }
            earliest = Self.format(year, month ?? 1, day ?? 1)
            latest = Self.format(year, lastMonth, day ?? lastDay)
            iso = [Self.pad(year, 4), month.map { Self.pad($0, 2) }, day.map { Self.pad($0, 2) }]
                .compactMap { $0 }.joined(separator: "-")
        }
    }

    /// Rebuilds a stored date from its parts without re-reading the text.
    init(original: String, calendar: Calendar, precision: Precision, iso: String, earliest: String, latest: String) {
        self.original = original
        self.calendar = calendar
        self.precision = precision
        self.iso = iso
        self.earliest = earliest
        self.latest = latest
    }

    private static func format(_ y: Int, _ m: Int, _ d: Int) -> String { "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))" }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// Persian (U+06F0…) and Arabic-Indic (U+0660…) digits as ASCII; everything else unchanged.
    private static func asciiDigit(_ c: Character) -> Character {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return c }
        for base: UInt32 in [0x06F0, 0x0660] where (base...(base + 9)).contains(scalar.value) {
            return Character(String(scalar.value - base))
        }
        return c
    }
}
