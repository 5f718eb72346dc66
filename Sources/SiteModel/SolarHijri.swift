/// The Solar Hijri (Jalali, Persian) calendar, converted to and from the Gregorian calendar.
///
/// ```swift
/// SolarHijri.gregorian(year: 1367, month: 5, day: 10)   // (1988, 8, 1)
/// SolarHijri.gregorian(year: 1400, month: 1, day: 1)    // (2021, 3, 21): Nowruz
/// ```
/// Leap years follow the 33-year cycles anchored on the astronomical break years, which agree
/// with the official calendar from 1178 to 1633 SH; years outside that range are refused.
/// - Complexity: O(1) (a fixed table of 20 break years).
public enum SolarHijri {
    /// Years (SH) where the 33-year leap pattern restarts.
    private static let breaks = [
        -61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210,
        1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178,
    ]

    /// The years this conversion is exact for.
    public static let supportedYears = 1178...1633

    /// Whether `year` (SH) has 366 days (Esfand has 30 days).
    public static func isLeap(_ year: Int) -> Bool { cycle(year).leapOffset == 0 }

    /// Days in `month` (1…12) of `year`.
    public static func daysInMonth(year: Int, month: Int) -> Int {
        if month <= 6 { return 31 }
        if month <= 11 { return 30 }
        return isLeap(year) ? 30 : 29
    }

    /// The Gregorian date of a Solar Hijri date. The caller checks ranges first
    /// (`PartialDate` does).
    public static func gregorian(year: Int, month: Int, day: Int) -> (year: Int, month: Int, day: Int) {
        let c = cycle(year)
        let dayNumber = GregorianDay.number(year: c.gregorianYear, month: 3, day: c.nowruzMarchDay)
            + (month - 1) * 31 - (month / 7) * (month - 7) + day - 1
        return GregorianDay.date(number: dayNumber)
    }

    /// Where `year` sits in its cycle: the Gregorian year it starts in, the March day of
    /// Nowruz, and how many years after the last leap year it is (0 = leap).
    private static func cycle(_ year: Int) -> (gregorianYear: Int, nowruzMarchDay: Int, leapOffset: Int) {
        let gregorianYear = year + 621
        var leapsJ = -14
        var previous = breaks[0]
        var jump = 0
        for next in breaks.dropFirst() {
            jump = next - previous
            if year < next { break }
            leapsJ += (jump / 33) * 8 + (jump % 33) / 4
            previous = next
        }
        var n = year - previous
        leapsJ += (n / 33) * 8 + ((n % 33) + 3) / 4
        if jump % 33 == 4 && jump - n == 4 { leapsJ += 1 }
        let leapsG = gregorianYear / 4 - ((gregorianYear / 100 + 1) * 3) / 4 - 150
        let march = 20 + leapsJ - leapsG
        if jump - n < 6 { n = n - jump + ((jump + 4) / 33) * 33 }
        var offset = (((n + 1) % 33) - 1) % 4
        if offset == -1 { offset = 4 }
        return (gregorianYear, march, offset)
    }
}

/// Day numbers (Julian day numbers) for proleptic Gregorian dates.
enum GregorianDay {
    /// The Julian day number of a Gregorian date.
    static func number(year: Int, month: Int, day: Int) -> Int {
        // Months counted from March so the leap day falls at the end of the year.
        let a = (14 - month) / 12
        let y = year + 4800 - a
        let m = month + 12 * a - 3
        return day + (153 * m + 2) / 5 + 365 * y + y / 4 - y / 100 + y / 400 - 32045
    }

    /// The Gregorian date of a Julian day number.
    static func date(number: Int) -> (year: Int, month: Int, day: Int) {
        let a = number + 32044
        let b = (4 * a + 3) / 146_097
        let c = a - 146_097 * b / 4
        let d = (4 * c + 3) / 1461
        let e = c - 1461 * d / 4
        let m = (5 * e + 2) / 153
        let day = e - (153 * m + 2) / 5 + 1
        let month = m + 3 - 12 * (m / 10)
        let year = 100 * b + d - 4800 + m / 10
        return (year, month, day)
    }

    /// Days in a Gregorian month.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
