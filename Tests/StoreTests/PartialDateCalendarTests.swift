import Foundation
import Testing
@testable import Store

/// Which calendar a date is read in: Gregorian unless the text or the caller says Solar
/// Hijri, checked against Foundation's Gregorian and Persian calendars (ICU) as oracles.
@Suite struct PartialDateCalendarTests {
    /// Every year the old rule took for Solar Hijri (1178…1499), and its months and a day,
    /// read as written: Gregorian, the ISO text is the text.
    @Test func yearsWithoutAMarkAreGregorian() throws {
        for year in 1178...1499 {
            let text = String(year)
            let date = try PartialDate(parsing: text)
            #expect(date.calendar == .gregorian && date.iso == text && date.earliest == "\(text)-01-01",
                    "\(text) read as \(date.iso)")
        }
        #expect(try PartialDate(parsing: "1348").latest == "1348-12-31")       // a plague pit
        #expect(try PartialDate(parsing: "1492-08-03").iso == "1492-08-03")
        #expect(try PartialDate(parsing: "1492", calendar: .gregorian).iso == "1492")
    }

    /// Each mark of the Solar Hijri calendar, on every month of 1367 SH, against ICU's
    /// Persian calendar.
    @Test func marksMakeSolarHijri() throws {
        var persian = Calendar(identifier: .persian)
        persian.timeZone = try #require(TimeZone(identifier: "UTC"))
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = persian.timeZone
        let persianDigits = Array("۰۱۲۳۴۵۶۷۸۹"), arabicDigits = Array("٠١٢٣٤٥٦٧٨٩")
        func digits(_ n: Int, _ table: [Character]) -> String {
            String(String(n).compactMap { $0.wholeNumberValue.map { table[$0] } })
        }
        let persianMonths = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"]
        let latinMonths = ["Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar", "Mehr", "Aban", "Azar", "Dey",
                           "Bahman", "Esfand"]
        for month in 1...12 {
            let day = 10
            let instant = try #require(persian.date(from: DateComponents(year: 1367, month: month, day: day)))
            let g = gregorian.dateComponents([.year, .month, .day], from: instant)
            let expected = String(format: "%04d-%02d-%02d", g.year ?? 0, g.month ?? 0, g.day ?? 0)
            let m = String(format: "%02d", month)
            let texts = [
                "1367-\(m)-10 SH", "1367/\(m)/10 ه.ش", "1367/\(m)/10 ه.ش.", "1367-\(m)-10AP",
                "\(digits(1367, persianDigits))/\(digits(month, persianDigits))/\(digits(day, persianDigits))",
                "\(digits(1367, arabicDigits))-\(digits(month, arabicDigits))-\(digits(day, arabicDigits))",
                "10 \(persianMonths[month - 1]) 1367", "\(digits(day, persianDigits)) \(persianMonths[month - 1]) \(digits(1367, persianDigits))",
                "10 \(latinMonths[month - 1]) 1367", "10 \(latinMonths[month - 1].uppercased()) 1367 SH",
            ]
            for text in texts {
                let date = try PartialDate(parsing: text)
                #expect(date.calendar == .solarHijri && date.iso == expected && date.original == text, "\(text) → \(date.iso)")
            }
            // Declared by the caller, for text that says nothing.
            #expect(try PartialDate(parsing: "1367-\(m)-10", calendar: .solarHijri).iso == expected)
            #expect(try PartialDate(parsing: "1367-\(m)-10").iso == "1367-\(m)-10")
        }
        let month = try PartialDate(parsing: "مرداد ۱۳۶۷")
        #expect(month.precision == .month && month.iso == "1988-07-23/1988-08-22")
        // A mark in the text wins over a declared Gregorian calendar.
        #expect(try PartialDate(parsing: "1367-05 SH", calendar: .gregorian).calendar == .solarHijri)
    }

    @Test func futureIsAfterToday() throws {
        let today = PartialDate.today(Date(timeIntervalSince1970: 1_764_720_000))   // 2025-12-03
        #expect(today == "2025-12-03")
        #expect(try PartialDate(parsing: "2113").isAfter(today))
        #expect(try PartialDate(parsing: "2025-12-04").isAfter(today))
        #expect(try !PartialDate(parsing: "2025").isAfter(today))          // some of its days are past
        #expect(try !PartialDate(parsing: "2025-12-03").isAfter(today))
        #expect(try PartialDate(parsing: "1410 SH").isAfter(today))        // 2031
        #expect(try !PartialDate(parsing: "1404 SH").isAfter(today))
    }
}
