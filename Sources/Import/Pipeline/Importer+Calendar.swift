import Store

/// The calendar an import reads dates in when their text does not say theirs.
///
/// ```swift
/// options.calendar = .solarHijri            // --calendar solar_hijri
/// try Importer(options: options).declaredCalendar()   // .solarHijri
/// ```
/// `--calendar` and the mapping's `calendar` agree or only one is given; nil (neither) means
/// Gregorian.
extension Importer {
    /// - Throws: `ImportError.invalidMapping` when `--calendar` and the mapping disagree.
    func declaredCalendar() throws -> PartialDate.Calendar? {
        if let given = options.calendar, let mapped = options.mapping?.calendar, given != mapped {
            throw ImportError.invalidMapping(
                file: options.mapping?.file ?? "mapping",
                reason: "calendar: the mapping says \(mapped.rawValue) but --calendar says \(given.rawValue)")
        }
        return options.calendar ?? options.mapping?.calendar
    }
}
