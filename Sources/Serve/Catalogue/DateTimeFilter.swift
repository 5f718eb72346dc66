import Foundation

/// The `datetime` parameter of OGC API – Features: an RFC 3339 instant or date, or an interval
/// `START/END` where either end may be `..` (or empty) for open.
///
/// ```swift
/// try DateTimeFilter("2018-02-12T23:20:52Z")          // the day 2018-02-12
/// try DateTimeFilter("2003-01-01/2017-12-31")          // closed interval
/// try DateTimeFilter("../2017-12-31")                  // everything up to the end of 2017
/// try DateTimeFilter("2017-12-31/2003-01-01")          // throws 400: start after end
/// ```
/// Sites and events are dated to the day (or a month, a year: a span of days), so an instant is
/// compared by its UTC day: a site matches when its span of days meets the filter's.
struct DateTimeFilter: Sendable, Equatable {
    /// First and last day, `YYYY-MM-DD`; nil for an open end.
    var from: String?
    var to: String?

    init(_ text: String) throws {
        func refuse(_ reason: String) -> ServeError {
            .badRequest("InvalidParameterValue", "datetime '\(ItemsQuery.clipped(text))': \(reason)")
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            guard let day = Self.day(parts[0]) else { throw refuse("not an RFC 3339 date or date-time") }
            from = day
            to = day
        case 2:
            let open = ["", ".."]
            if !open.contains(parts[0]) {
                guard let day = Self.day(parts[0]) else { throw refuse("the start is not an RFC 3339 date or date-time") }
                from = day
            }
            if !open.contains(parts[1]) {
                guard let day = Self.day(parts[1]) else { throw refuse("the end is not an RFC 3339 date or date-time") }
                to = day
            }
            guard from != nil || to != nil else { throw refuse("an interval needs at least one end") }
            if let from, let to, from > to { throw refuse("the start is after the end") }
        default:
            throw refuse("give an instant or START/END")
        }
    }

    /// Whether the days `from…to` meet the filter.
    func overlaps(from siteFrom: String, to siteTo: String) -> Bool {
        if let from, siteTo < from { return false }
        if let to, siteFrom > to { return false }
        return true
    }

    /// The UTC day of an RFC 3339 date (`2018-02-12`) or date-time (`2018-02-12T23:20:52Z`,
    /// `…+03:30`, fractions of seconds allowed); nil when it is neither or names no real day.
    static func day(_ text: String) -> String? {
        guard text.count <= 40 else { return nil }
        if text.count == 10 {
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: "UTC")
            f.dateFormat = "yyyy-MM-dd"
            f.isLenient = false
            guard let date = f.date(from: text), f.string(from: date) == text else { return nil }
            return text
        }
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let upper = text.uppercased()
        guard let date = plain.date(from: upper) ?? withFraction.date(from: upper) else { return nil }
        let out = DateFormatter()
        out.locale = Locale(identifier: "en_US_POSIX")
        out.timeZone = TimeZone(identifier: "UTC")
        out.dateFormat = "yyyy-MM-dd"
        return out.string(from: date)
    }
}
