import Foundation

/// A date known to the year, the month or the day, in the Gregorian or Solar Hijri calendar,
/// with the text it was read from.
///
/// ```swift
/// let d = try PartialDate(parsing: "1367-05 SH")   // Mordad 1367 SH
/// d.iso        // "1988-07-23/1988-08-22": the Gregorian days it can mean
/// d.earliest   // "1988-07-23"
/// d.original   // "1367-05 SH"
/// try PartialDate(parsing: "1348").iso                           // "1348": Gregorian, the Black Death
/// try PartialDate(parsing: "1367-05", calendar: .solarHijri).iso // "1988-07-23/1988-08-22"
/// ```
/// Accepted: `YYYY`, `YYYY-MM`, `YYYY-MM-DD` with `-` or `/`, `[day] month year` with a
/// Persian month name, and an ISO 8601 interval `A/B` of two such dates (`2003/2017`,
/// `1988-07/1988-09-15`: one `/` with a four-digit year after it, so `1988/08` stays August 1988). A date is Solar Hijri only when its text says so (an `SH`, `AP`, `ه.ش`
/// or `ش` suffix, Persian or Arabic-Indic digits, a Persian month name) or the caller
/// declares the calendar; otherwise it is Gregorian, whatever the year. A Gregorian partial
/// date keeps its ISO 8601 reduced form; a Solar Hijri one becomes the ISO 8601 interval of
/// the Gregorian days it covers (one day for a full date).
public struct PartialDate: Hashable, Sendable, CustomStringConvertible {
    public enum Calendar: String, CaseIterable, Hashable, Sendable { case gregorian, solarHijri = "solar_hijri" }
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
    ///
    /// - Parameter declared: the calendar of dates whose text does not say (a mapping's or
    ///   the command line's `calendar`); nil means Gregorian. A mark in the text wins.
    /// - Throws: `StoreError.invalidDate` naming the text and what is wrong with it.
    public init(parsing text: String, calendar declared: Calendar? = nil) throws {
        if let ends = Self.intervalEnds(text) {
            self = try Self.interval(text, from: ends.start, to: ends.end, calendar: declared)
            return
        }
        original = text
        let parsed = try Text(text)
        let numbers = parsed.fields
        let year = numbers[0], month = numbers.count > 1 ? numbers[1] : nil, day = numbers.count > 2 ? numbers[2] : nil
        let solar = (parsed.calendar ?? declared ?? .gregorian) == .solarHijri
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
    package init(original: String, calendar: Calendar, precision: Precision, iso: String, earliest: String, latest: String) {
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

    /// Whether every day the date can mean is after `today` (`YYYY-MM-DD`): a date in the
    /// future, which no record of a past event can have.
    public func isAfter(_ today: String) -> Bool { earliest > today }

    /// Today's date in UTC, `YYYY-MM-DD`.
    public static func today(_ now: Date = Date()) -> String {
        var calendar = Foundation.Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: now)
        return format(parts.year ?? 0, parts.month ?? 1, parts.day ?? 1)
    }
}
