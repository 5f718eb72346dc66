import Foundation
import Store

/// Reads the numbers and dates of a record for its site fields, the way its file writes
/// them, and says so — a `ValueRemark` — when a value cannot be read without guessing.
///
/// ```swift
/// assembly.numberConvention = .decimalComma       // from the CSV file
/// assembly.checked(victimsMin, .string("1.000"), fromMapping: false)    // .success("1000")
/// assembly.checked(date, .string("1348"), fromMapping: false)          // .success("1348"): Gregorian
/// assembly.checked(date, .string("2113"), fromMapping: false)          // .failure: in the future
/// ```
/// Numbers: typed numbers are taken as they are; text is read with `DecimalText.read` in the
/// file's convention (mapping constants in YAML's decimal point) and comes back as plain text
/// (`1000`, `1.5`); counts must be whole. Dates: read by `PartialDate` with the declared
/// calendar for texts that do not say theirs (a text read as Solar Hijri only because of the
/// declaration gets an ` SH` suffix, so the store reads it the same way); typed dates are
/// Gregorian (a date-time keeps its date); a date whose every day lies after `today` is
/// refused. Other fields pass
/// unchanged.
extension SiteAssembly {
    func checked(_ field: SiteField, _ value: AttributeValue, fromMapping: Bool) -> Result<String, ValueRemark> {
        let text = value.text.map(SiteAssembly.trimmed) ?? ""
        // Most fields are text and pass as they are; this runs for every field of every record.
        guard field.isNumeric || field.definition.type == .date else { return .success(text) }
        func refuse(_ kind: ValueRemark.Kind, _ why: String, leaving what: String = "left empty") -> Result<String, ValueRemark> {
            .failure(ValueRemark(kind: kind, field: field, value: text, reason: why, outcome: what))
        }
        if field.isNumeric {
            let number: Double
            switch value {
            case let .integer(i): number = Double(i)
            case let .double(d): number = d
            default:
                switch DecimalText.read(text, convention: fromMapping ? .decimalPoint : numberConvention, whole: field.isInteger) {
                case let .number(n): number = n
                case let .ambiguous(why): return refuse(.ambiguous, "is ambiguous: \(why)")
                case .notANumber: return refuse(.rejected, "is not a number")
                }
            }
            guard number.isFinite else { return refuse(.rejected, "is not a number") }
            if field.isInteger, number.rounded() != number || abs(number) >= 1e15 {
                return refuse(.rejected, "is not a whole number")
            }
            return .success(DecimalText.plain(number))
        }
        guard field.definition.type == .date else { return .success(text) }
        switch readDate(value, text: text) {
        case let .success(read): return .success(read.text)
        case let .failure(refusal): return refuse(.rejected, refusal.reason)
        }
    }

    /// Why a date of a record cannot be used, as a predicate: `is not a date: …`.
    struct DateRefusal: Error {
        var reason: String
    }

    /// A date of a record (a site's `date`, an event's) as the store will read it: the text to
    /// store (with ` SH` when only the declared calendar makes it Solar Hijri) and the date.
    func readDate(_ value: AttributeValue, text: String) -> Result<(text: String, date: PartialDate), DateRefusal> {
        var declared = calendar
        var dateText = text
        if case .date = value {
            // A typed date is a Gregorian calendar date, perhaps with a time of day.
            declared = nil
            if dateText.count > 10, [Character("T"), " "].contains(dateText[dateText.index(dateText.startIndex, offsetBy: 10)]) {
                dateText = String(dateText.prefix(10))
            }
        }
        let date: PartialDate
        do {
            date = try PartialDate(parsing: dateText, calendar: declared)
        } catch let StoreError.invalidDate(_, reason) {
            let read = declared == .solarHijri ? " (dates without a calendar of their own are read as Solar Hijri)" : ""
            return .failure(DateRefusal(reason: "is not a date: \(reason)\(read)"))
        } catch {
            return .failure(DateRefusal(reason: "is not a date: \(error)"))
        }
        if date.isAfter(today) {
            let shown = date.calendar == .solarHijri ? " (\(date.iso))" : ""
            return .failure(DateRefusal(reason: "is in the future\(shown); today is \(today)"))
        }
        if declared == .solarHijri, (try? PartialDate(parsing: dateText))?.calendar != .solarHijri {
            return .success((dateText + " SH", date))
        }
        return .success((dateText, date))
    }
}
