import Foundation
import Testing
@testable import Store

@Suite struct SolarHijriTests {
    @Test(arguments: [
        ((1367, 5, 10), (1988, 8, 1)),
        ((1400, 1, 1), (2021, 3, 21)),     // Nowruz 1400
        ((1403, 1, 1), (2024, 3, 20)),     // Nowruz 1403 fell on 20 March
        ((1357, 11, 22), (1979, 2, 11)),
        ((1399, 12, 30), (2021, 3, 20)),   // 1399 is a leap year
        ((1367, 6, 31), (1988, 9, 22)),
    ])
    func knownDates(sh: (Int, Int, Int), gregorian: (Int, Int, Int)) {
        let g = SolarHijri.gregorian(year: sh.0, month: sh.1, day: sh.2)
        #expect(g.year == gregorian.0 && g.month == gregorian.1 && g.day == gregorian.2)
    }

    @Test func leapYears() {
        #expect(SolarHijri.isLeap(1399))
        #expect(SolarHijri.isLeap(1403))
        #expect(!SolarHijri.isLeap(1400))
        #expect(!SolarHijri.isLeap(1367))
        #expect(SolarHijri.isLeap(1370))
    }

    /// Every day of 1300…1500 SH against Foundation's Persian calendar (ICU), an independent
    /// implementation of the same calendar.
    @Test func agreesWithFoundationsPersianCalendar() throws {
        var persian = Calendar(identifier: .persian)
        persian.timeZone = try #require(TimeZone(identifier: "UTC"))
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = persian.timeZone
        var mismatches: [String] = []
        for year in 1300...1500 {
            for month in 1...12 {
                for day in 1...SolarHijri.daysInMonth(year: year, month: month) {
                    let date = try #require(persian.date(from: DateComponents(year: year, month: month, day: day)))
                    let expected = gregorian.dateComponents([.year, .month, .day], from: date)
                    let got = SolarHijri.gregorian(year: year, month: month, day: day)
                    if got.year != expected.year || got.month != expected.month || got.day != expected.day {
                        mismatches.append("\(year)-\(month)-\(day)")
                    }
                }
            }
            // The month lengths agree too: day 1 of the next year follows the last day.
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }
}

@Suite struct PartialDateTests {
    @Test func gregorianForms() throws {
        let year = try PartialDate(parsing: "1988")
        #expect(year.iso == "1988" && year.earliest == "1988-01-01" && year.latest == "1988-12-31")
        #expect(year.precision == .year && year.calendar == .gregorian)
        let month = try PartialDate(parsing: "1988-02")
        #expect(month.iso == "1988-02" && month.latest == "1988-02-29")
        let day = try PartialDate(parsing: "1988/08/01")
        #expect(day.iso == "1988-08-01" && day.precision == .day && day.original == "1988/08/01")
    }

    @Test func solarHijriForms() throws {
        let month = try PartialDate(parsing: "1367-05 SH")
        #expect(month.calendar == .solarHijri && month.precision == .month)
        #expect(month.iso == "1988-07-23/1988-08-22")
        #expect(month.original == "1367-05 SH")
        let day = try PartialDate(parsing: "1367/05/10", calendar: .solarHijri)
        #expect(day.iso == "1988-08-01" && day.earliest == day.latest)
        let persianDigits = try PartialDate(parsing: "۱۳۶۷/۰۵/۱۰")
        #expect(persianDigits.iso == "1988-08-01" && persianDigits.original == "۱۳۶۷/۰۵/۱۰")
        let year = try PartialDate(parsing: "1367", calendar: .solarHijri)
        #expect(year.iso == "1988-03-21/1989-03-20")
        let marked = try PartialDate(parsing: "1510 SH")
        #expect(marked.calendar == .solarHijri)
    }

    @Test(arguments: ["", "88", "1988-13", "1988-02-30", "1367-12-30 SH", "1367-07-31 SH", "19x8", "1988-1-2-3", "1099 SH",
                      "10 Mordad", "Mordad 1367 1368", "۱۳۶۷-۱۲-۳۰"])
    func refusesWhatIsNotADate(text: String) {
        #expect(throws: StoreError.self) { try PartialDate(parsing: text) }
    }
}
