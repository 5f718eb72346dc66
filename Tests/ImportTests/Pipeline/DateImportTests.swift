import Foundation
import Store
import Testing
@testable import Import

/// Dates imported into a real store and read back by GDAL: Gregorian unless the data or a
/// declaration says Solar Hijri, and a date in the future refused and reported.
@Suite struct DateImportTests {
    static let csv = """
        name,lon,lat,date
        Plague pit,-0.40,39.50,1348
        Expulsion,-3.70,40.40,1492-08-02
        Choeung Ek,104.90,11.48,1975
        Khavaran SH,51.55,35.60,1367-05 SH
        Khavaran digits,51.55,35.61,۱۳۶۷/۰۵/۱۰
        Khavaran month,51.55,35.62,10 Mordad 1367
        Khavaran fa,51.55,35.63,مرداد ۱۳۶۷ ه.ش
        Unmarked,51.55,35.64,1367-05
        Future,18.40,43.80,2113

        """

    @Test func gregorianUnlessTheDataSaysSolarHijri() throws {
        let folder = try FixtureFolder()
        let file = try folder.write("dates.csv", Self.csv)
        let (report, sites) = try ValueReadingTests.stored([file], in: folder)
        func date(_ name: String) -> [String?] {
            ["date_text", "date_calendar", "date_iso"].map { sites[name]?[$0] as? String }
        }
        #expect(date("Plague pit") == ["1348", "gregorian", "1348"])
        #expect(date("Expulsion") == ["1492-08-02", "gregorian", "1492-08-02"])
        #expect(date("Choeung Ek") == ["1975", "gregorian", "1975"])
        #expect(date("Khavaran SH") == ["1367-05 SH", "solar_hijri", "1988-07-23/1988-08-22"])
        #expect(date("Khavaran digits") == ["۱۳۶۷/۰۵/۱۰", "solar_hijri", "1988-08-01"])
        #expect(date("Khavaran month") == ["10 Mordad 1367", "solar_hijri", "1988-08-01"])
        #expect(date("Khavaran fa") == ["مرداد ۱۳۶۷ ه.ش", "solar_hijri", "1988-07-23/1988-08-22"])
        #expect(date("Unmarked") == ["1367-05", "gregorian", "1367-05"])
        #expect(date("Future") == [nil, nil, nil])
        #expect(report.entries.map(\.kind) == ["value_rejected"])
        #expect(report.entries.first?.record == 9)
        #expect(report.entries.first?.detail.hasPrefix("date '2113' is in the future; today is ") == true)
        #expect(report.summary.contains("remarks: 1 value_rejected"))
        var strict = ImportOptions()
        strict.strict = true
        #expect(throws: ImportError.self) { _ = try ImportRun([file], options: strict) }
    }

    /// `calendar: solar_hijri` in the mapping (or `--calendar`) reads unmarked dates as Solar
    /// Hijri; a Gregorian year then is refused, not guessed.
    @Test func declaredSolarHijri() throws {
        let folder = try FixtureFolder()
        let file = try folder.write("dates.csv", Self.csv)
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("m.yaml", "calendar: solar_hijri"))
        let (report, sites) = try ValueReadingTests.stored([file], in: folder, options: options)
        #expect(sites["Unmarked"]?["date_iso"] as? String == "1988-07-23/1988-08-22")
        #expect(sites["Unmarked"]?["date_text"] as? String == "1367-05 SH")
        #expect(sites["Khavaran month"]?["date_iso"] as? String == "1988-08-01")
        #expect(sites["Plague pit"]?["date_iso"] as? String == "1969-03-21/1970-03-20")   // as declared
        #expect(report.entries.map(\.kind) == ["value_rejected", "value_rejected", "value_rejected"])
        #expect(report.entries.map(\.record) == [2, 3, 9])
        #expect(report.entries.map(\.detail) == [
            "date '1492-08-02' is in the future (2113-10-24); today is \(PartialDate.today()): left empty",
            "date '1975' is not a date: Solar Hijri year 1975 is outside 1178…1633 "
                + "(dates without a calendar of their own are read as Solar Hijri): left empty",
            "date '2113' is not a date: Solar Hijri year 2113 is outside 1178…1633 "
                + "(dates without a calendar of their own are read as Solar Hijri): left empty",
        ])
        options.mapping = nil
        options.calendar = .solarHijri
        let run = try ImportRun([file], options: options)
        #expect(run.drafts.first { $0.name == "Unmarked" }?.date == "1367-05 SH")
        options.mapping = try ImportMapping.load(folder.write("g.yaml", "calendar: gregorian"))
        #expect {
            _ = try ImportRun([file], options: options)
        } throws: { error in
            guard case let ImportError.invalidMapping(_, reason)? = error as? ImportError else { return false }
            return reason == "calendar: the mapping says gregorian but --calendar says solar_hijri"
        }
        #expect(throws: ImportError.self) { _ = try ImportMapping.load(folder.write("bad.yaml", "calendar: julian")) }
    }

    /// Typed dates (a DBF date field, a GeoPackage DATETIME) are Gregorian calendar dates,
    /// whatever calendar is declared for text; a date-time keeps its date.
    @Test func typedDatesAreGregorian() throws {
        let folder = try FixtureFolder()
        try folder.write("typed.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Srebrenica","date":"1995-07-11","seen":"1995-07-13T10:30:00"},
             "geometry":{"type":"Point","coordinates":[19.3,44.1]}}]}
            """)
        let shp = try folder.shapefile("typed", from: "typed.geojson")
        let gpkg = try folder.ogr2ogr("GPKG", "typed.gpkg", "typed.geojson")
        var options = ImportOptions()
        options.calendar = .solarHijri
        let fromShapefile = try ImportRun([shp], options: options)
        #expect(fromShapefile.drafts.map(\.date) == ["1995-07-11"])
        #expect(fromShapefile.report.entries.isEmpty)
        options.mapping = try ImportMapping.parse(["fields": ["date": "seen"], "calendar": "solar_hijri"], file: "m.yaml")
        let fromGeoPackage = try ImportRun([gpkg], options: options)
        #expect(fromGeoPackage.drafts.map(\.date) == ["1995-07-13"])
        #expect(fromGeoPackage.report.entries.isEmpty)
    }
}
