import Foundation

extension PartialDate {
    /// The two ends of an interval `A/B`: text with one `/` whose right side begins with a
    /// four-digit year (Persian or Arabic-Indic digits count); nil for any other text, which is
    /// then read as one date (`1988/08/01`, `1988/08`).
    ///
    /// ```swift
    /// PartialDate.intervalEnds("2003/2017")   // ("2003", "2017")
    /// PartialDate.intervalEnds("1988/08")     // nil: August 1988
    /// ```
    static func intervalEnds(_ text: String) -> (start: String, end: String)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let end = parts[1].drop(while: \.isWhitespace)
        let digits = end.prefix(5).map { asciiDigit($0) ?? $0 }
        guard digits.count >= 4, digits.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }),
              digits.count == 4 || !(digits[4].isASCII && digits[4].isNumber) else { return nil }
        return (String(parts[0]), String(end))
    }

    /// An interval from the first day `start` can mean to the last day `end` can mean.
    ///
    /// A Gregorian interval keeps its ends' ISO forms (`2003/2017`); a Solar Hijri one is the
    /// interval of Gregorian days. A calendar mark on either end (`1367/1368 SH`) holds for both.
    /// Its precision is the coarser of its ends'.
    /// - Throws: `StoreError.invalidDate` when an end is not a date, or the interval ends
    ///   before it begins.
    static func interval(_ text: String, from start: String, to end: String, calendar declared: Calendar?) throws -> PartialDate {
        let first: PartialDate, last: PartialDate
        do {
            let marked = try Text(start).calendar ?? Text(end).calendar
            first = try PartialDate(parsing: start, calendar: marked ?? declared)
            last = try PartialDate(parsing: end, calendar: marked ?? declared)
        } catch let StoreError.invalidDate(_, reason) {
            throw StoreError.invalidDate(text: text, reason: "an end of the interval: \(reason)")
        }
        guard first.earliest <= last.latest else {
            throw StoreError.invalidDate(text: text, reason: "the interval ends (\(last.iso)) before it begins (\(first.iso))")
        }
        let order: [Precision] = [.year, .month, .day]
        let coarser = order.first { $0 == first.precision || $0 == last.precision } ?? .year
        let iso = first.calendar == .gregorian ? "\(first.iso)/\(last.iso)" : "\(first.earliest)/\(last.latest)"
        return PartialDate(original: text, calendar: first.calendar, precision: coarser, iso: iso,
                           earliest: first.earliest, latest: last.latest)
    }
}
