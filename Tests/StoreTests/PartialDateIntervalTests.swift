import Foundation
import Testing
@testable import Store

/// ISO 8601 intervals `A/B` of partial dates, as a report gives a finding ("damaged between
/// 2003 and 2017"): read whole, from the first day of A to the last day of B, Solar Hijri ends
/// checked against ICU's Persian calendar.
@Suite struct PartialDateIntervalTests {
    @Test func aGregorianIntervalKeepsItsEnds() throws {
        let years = try PartialDate(parsing: "2003/2017")
        #expect(years.iso == "2003/2017" && years.earliest == "2003-01-01" && years.latest == "2017-12-31")
        #expect(years.calendar == .gregorian && years.precision == .year && years.original == "2003/2017")
        let mixed = try PartialDate(parsing: "1988-07/1988-09-15")
        #expect(mixed.iso == "1988-07/1988-09-15" && mixed.earliest == "1988-07-01" && mixed.latest == "1988-09-15")
        #expect(mixed.precision == .month)
    }

    @Test func oneSlashBeforeAMonthIsStillOneDate() throws {
        #expect(try PartialDate(parsing: "1988/08").iso == "1988-08")
        #expect(try PartialDate(parsing: "1988/08/01").iso == "1988-08-01")
    }

    @Test func aSolarHijriMarkOnEitherEndHoldsForBoth() throws {
        var persian = Calendar(identifier: .persian)
        persian.timeZone = try #require(TimeZone(identifier: "UTC"))
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = persian.timeZone
        func day(_ date: Date) -> String {
            let c = gregorian.dateComponents([.year, .month, .day], from: date)
            return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
        }
        let first = try #require(persian.date(from: DateComponents(year: 1367, month: 1, day: 1)))
        let next = try #require(persian.date(from: DateComponents(year: 1369, month: 1, day: 1)))
        let last = try #require(gregorian.date(byAdding: .day, value: -1, to: next))
        for text in ["1367/1368 SH", "۱۳۶۷/۱۳۶۸"] {
            let date = try PartialDate(parsing: text)
            #expect(date.calendar == .solarHijri && date.earliest == day(first) && date.latest == day(last), "\(text)")
            #expect(date.iso == "\(day(first))/\(day(last))")
        }
        #expect(try PartialDate(parsing: "1367/1368", calendar: .solarHijri).earliest == day(first))
    }

    @Test(arguments: [
        ("2017/2003", "ends (2003) before it begins (2017)"),
        ("2003/2017-13", "an end of the interval: month 13 is not 1…12"),
        ("2003-02-30/2017", "an end of the interval: day 30 is not in month 2 of 2003"),
        ("later/2017", "an end of the interval: expected YYYY"),
    ])
    func aBadIntervalSaysWhichEndAndWhy(text: String, reason: String) {
        #expect {
            _ = try PartialDate(parsing: text)
        } throws: { error in
            guard case let StoreError.invalidDate(given, why)? = error as? StoreError else { return false }
            return given == text && why.contains(reason)
        }
    }
}
