import Foundation
import Store
import Testing
@testable import Import

/// Values read into a real store from real files — a `;` CSV with decimal commas, a
/// decimal-point CSV, a shapefile's DBF, GeoJSON — and read back by GDAL: what is stored,
/// the report's entries, the console summary, and what `strict` does.
@Suite struct ValueReadingTests {
    /// Imports `files` into a new store in `folder`; the sites' properties as GDAL reads
    /// them, by name.
    static func stored(_ files: [URL], in folder: FixtureFolder, options: ImportOptions = ImportOptions())
        throws -> (ImportReport, [String: [String: Any]]) {
        let store = try SiteStore.create(at: folder.path("atlas.gpkg").path)
        let report = try StoreImport(store: store, options: options).run(files: files)
        try store.close()
        var sites: [String: [String: Any]] = [:]
        for feature in try folder.ogrFeatures("atlas.gpkg", options: ["sites"]) {
            let properties = feature["properties"] as? [String: Any] ?? [:]
            if let name = properties["name"] as? String { sites[name] = properties }
        }
        return (report, sites)
    }

    static func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

    @Test func semicolonCSVWithDecimalCommas() throws {
        let folder = try FixtureFolder()
        let csv = try folder.write("fosas.csv", """
            Nombre;Longitud;Latitud;victimas_min;Incertidumbre
            Fosa 1;-0,4437;39,5028;1.000;1.500
            Fosa 2;-3,5503;37,2331;2.238;25
            Fosa 3;-2,8167;41,7000;1,000;1,5
            Fosa 4;-1,1000;40,2000;12;0,500

            """)
        let (report, sites) = try Self.stored([csv], in: folder)
        #expect(Self.number(sites["Fosa 1"]?["victims_min"]) == 1000)
        #expect(Self.number(sites["Fosa 1"]?["uncertainty_m"]) == 1500)
        #expect(Self.number(sites["Fosa 2"]?["victims_min"]) == 2238)
        #expect(sites["Fosa 3"]?["victims_min"] is NSNull || sites["Fosa 3"]?["victims_min"] == nil)
        #expect(Self.number(sites["Fosa 3"]?["uncertainty_m"]) == 1.5)
        #expect(Self.number(sites["Fosa 4"]?["uncertainty_m"]) == 0.5)
        #expect(report.files.first?.notes.contains("delimiter ';'; numbers: decimal comma") == true)
        #expect(report.entries.map(\.kind) == ["value_ambiguous"])
        #expect(report.entries.map(\.record) == [3])
        #expect(report.entries.first?.detail.hasPrefix("victims_min '1,000' is ambiguous: ") == true)
        #expect(report.summary.contains("remarks: 1 value_ambiguous\n  value_ambiguous (1):\n    \(csv.path): record 3: victims_min '1,000'"))
        var strict = ImportOptions()
        strict.strict = true
        #expect(throws: ImportError.self) { _ = try ImportRun([csv], options: strict) }
        do {
            _ = try ImportRun([csv], options: strict)
        } catch let ImportError.recordRejected(file, record, reason) {
            #expect(file == csv.path && record == 3 && reason.hasPrefix("victims_min '1,000' is ambiguous"))
        }
    }

    @Test func commaCSVWithDecimalPoints() throws {
        let folder = try FixtureFolder()
        let csv = try folder.write("graves.csv", """
            name,lon,lat,victims_min,uncertainty
            Grave 1,-73.7720,40.8520,"1,000",1.500
            Grave 2,-73.7715,40.8492,"2,238",12.25
            Grave 3,-73.7711,40.8495,1.000,"1,5"

            """)
        let (report, sites) = try Self.stored([csv], in: folder)
        #expect(Self.number(sites["Grave 1"]?["victims_min"]) == 1000)
        #expect(Self.number(sites["Grave 1"]?["uncertainty_m"]) == 1.5)
        #expect(Self.number(sites["Grave 2"]?["victims_min"]) == 2238)
        #expect(report.files.first?.notes.contains("delimiter ','; numbers: decimal point") == true)
        #expect(report.entries.map(\.kind) == ["value_ambiguous", "value_ambiguous"])
        #expect(report.entries.map(\.detail).allSatisfy { $0.hasPrefix("victims_min '1.000'") || $0.hasPrefix("uncertainty_m '1,5'") })
        #expect(report.summary.contains("remarks: 2 value_ambiguous"))
    }

    /// A DBF keeps numbers typed (N fields) or as text (C fields); only text can be ambiguous,
    /// and a shapefile says no convention.
    @Test func shapefileTextAndTypedNumbers() throws {
        let folder = try FixtureFolder()
        try folder.write("graves.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"A","VMIN":"1.000","VMAX":2238},
             "geometry":{"type":"Point","coordinates":[18.4,43.8]}},
            {"type":"Feature","properties":{"name":"B","VMIN":"2238","VMAX":2300},
             "geometry":{"type":"Point","coordinates":[18.5,43.9]}}]}
            """)
        let shp = try folder.shapefile("graves", from: "graves.geojson", encoding: "UTF-8")
        var options = ImportOptions()
        options.mapping = try ImportMapping.parse(["fields": ["victims_min": "VMIN", "victims_max": "VMAX"]], file: "m.yaml")
        let (report, sites) = try Self.stored([shp], in: folder, options: options)
        #expect(sites["A"]?["victims_min"] is NSNull || sites["A"]?["victims_min"] == nil)
        #expect(Self.number(sites["A"]?["victims_max"]) == 2238)
        #expect(Self.number(sites["B"]?["victims_min"]) == 2238)
        #expect(report.entries.map(\.kind) == ["value_ambiguous"])
        #expect(report.entries.first?.detail.contains("reads as 1 with a decimal point and as 1000 with a decimal comma") == true)
        // The value itself is kept in the source attributes.
        let attributes = sites["A"]?["source_attributes"]
        let text = try (attributes as? String) ?? String(decoding: JSONSerialization.data(withJSONObject: attributes ?? [:]), as: UTF8.self)
        #expect(text.contains("1.000"))
    }

    @Test func geoJSONStringsAreReadAsTextNumbers() throws {
        let folder = try FixtureFolder()
        let file = try folder.write("graves.geojson", """
            {"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"A","victims_min":"2.238","uncertainty_m":"0,5"},
             "geometry":{"type":"Point","coordinates":[104.9,11.5]}},
            {"type":"Feature","properties":{"name":"B","victims_min":2.238e3,"uncertainty_m":"many"},
             "geometry":{"type":"Point","coordinates":[104.8,11.6]}}]}
            """)
        let run = try ImportRun([file])
        #expect(run.drafts.map { $0.values["victims_min"]?.integer } == [nil, 2238])
        #expect(run.drafts.map { $0.values["uncertainty_m"]?.real } == [0.5, nil])
        #expect(run.report.entries.map(\.kind) == ["value_ambiguous", "value_rejected"])
        #expect(run.report.entries.last?.detail == "uncertainty_m 'many' is not a number: left empty")
    }
}
