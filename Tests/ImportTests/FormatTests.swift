import Foundation
import Geometry
import Testing
@testable import Import

/// GeoJSON, CSV, KML/KMZ and GeoPackage readers, each against an independent writer (GDAL)
/// or text written here.
@Suite struct FormatTests {
    private func readAll(_ source: some FeatureSource) throws -> [ImportedRecord] {
        var records: [ImportedRecord] = []
        while let record = try source.next() { records.append(record) }
        return records
    }

    @Test func geoJSONFeatureCollectionStreamsEveryFeature() throws {
        let folder = try FixtureFolder()
        let url = try folder.write("spain.geojson", SampleData.spain)
        let records = try readAll(GeoJSONSource(url: url))
        #expect(records.count == (try folder.ogrinfoCount("spain.geojson")))
        #expect(records.map { $0["NOMBRE"]?.text } == [
            "Fosa de Paterna", "Cañada de los Mártires, Víznar", "Fosa común de Calatañazor (Soria)",
        ])
        #expect(records[0]["NUM"] == .integer(2238))
        #expect(records[2]["NUM"] == .null)
        #expect(records[1].geometry == .point(try Point(x: -3.5503, y: 37.2331)))
    }

    @Test func geoJSONSequencesAndSingleFeatures() throws {
        let folder = try FixtureFolder()
        let lines = """
        {"type":"Feature","properties":{"a":1},"geometry":{"type":"Point","coordinates":[1,2]}}
        {"type":"Feature","properties":{"a":"dos, \\"tres\\" {]"},"geometry":{"type":"Point","coordinates":[3,4]}}

        """
        let ndjson = try readAll(GeoJSONSource(url: folder.write("a.geojsonl", lines)))
        #expect(ndjson.map { $0["a"] } == [.integer(1), .string("dos, \"tres\" {]")])
        let rs = "\u{1E}" + lines.split(separator: "\n").joined(separator: "\n\u{1E}") + "\n"
        let sequence = try readAll(GeoJSONSource(url: folder.write("b.geojsons", rs)))
        #expect(sequence.map(\.geometry) == ndjson.map(\.geometry))
        let single = try readAll(GeoJSONSource(url: folder.write("c.json", String(lines.split(separator: "\n")[0]))))
        #expect(single.count == 1 && single[0]["a"] == .integer(1))
    }

    @Test func geoJSONProblemsPerFeatureAndTruncation() throws {
        let folder = try FixtureFolder()
        let text = """
        {"features":[{"type":"Feature","properties":{},"geometry":null},
        {"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1]}},
        {"type":"Feature","id":"x7","properties":{"n":2.5},"geometry":{"type":"Point","coordinates":[1,2]}}],"type":"FeatureCollection"}
        """
        let records = try readAll(GeoJSONSource(url: folder.write("p.geojson", text)))
        #expect(records.count == 3)
        #expect(records[0].notes == [.skipped("no geometry")])
        #expect(records[1].notes.first?.isSkip == true)
        #expect(records[2].attributes == [Attribute("n", .double(2.5)), Attribute("id", .string("x7"))])
        let cut = try GeoJSONSource(url: folder.write("cut.geojson", String(text.prefix(150))))
        #expect(throws: ImportError.self) { _ = try readAll(cut) }
    }

    @Test func csvWithSemicolonsDecimalCommasAndSpanishHeaders() throws {
        let folder = try FixtureFolder()
        let text = "Nombre;Longitud;Latitud;Notas\r\n\"Fosa de Paterna\";-0,4437;39,5028;\"dice \"\"sí\"\"; dos\nlíneas\"\r\nSin sitio;;;\r\n"
        let source = try CSVSource(url: folder.write("fosas.csv", text))
        let records = try readAll(source)
        #expect(records.count == 2)
        #expect(records[0]["Notas"] == .string("dice \"sí\"; dos\nlíneas"))
        #expect(records[0].geometry == .point(try Point(x: -0.4437, y: 39.5028)))
        #expect(records[0]["Longitud"] == .string("-0,4437"))
        #expect(records[1].notes == [.skipped("no coordinates")])
    }

    @Test func csvWithPersianHeadersAndTabs() throws {
        let folder = try FixtureFolder()
        let text = "نام\tطول\tعرض\nخاوران\t51.4711\t35.6311\n"
        let records = try readAll(CSVSource(url: folder.write("sites.tsv", text)))
        #expect(records[0]["نام"] == .string("خاوران"))
        #expect(records[0].geometry == .point(try Point(x: 51.4711, y: 35.6311)))
    }

    @Test func csvWithWKTMatchesGDAL() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try folder.ogr2ogr("CSV", "iran.csv", "iran.geojson", ["-lco", "GEOMETRY=AS_WKT"])
        let records = try readAll(CSVSource(url: folder.path("iran.csv")))
        let oracle = try folder.ogrFeatures("iran.geojson")
        #expect(records.count == oracle.count)
        for (record, feature) in zip(records, oracle) {
            #expect(record.geometry == (try OracleGeometry.from(feature["geometry"])))
        }
        #expect(records[0]["NAME"] == .string("گورستان بهشت زهرا"))
    }

    @Test func csvWindows1252IsReportedAndUnterminatedQuoteIsAnError() throws {
        let folder = try FixtureFolder()
        let bytes: [UInt8] = Array("name,lon,lat\nCa".utf8) + [0xF1] + Array("ada,1,2\n".utf8)
        let records = try readAll(CSVSource(url: folder.write("w.csv", bytes: bytes)))
        #expect(records[0]["name"] == .string("Cañada"))
        #expect(records[0].notes == [.reencoded(field: "name", encoding: "windows-1252")])
        let broken = try CSVSource(url: folder.write("q.csv", "name,lon,lat\n\"open,1,2\n"))
        #expect(throws: ImportError.self) { _ = try readAll(broken) }
    }

    @Test func kmlAndKMZPlacemarks() throws {
        let folder = try FixtureFolder()
        let kml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <kml xmlns="http://www.opengis.net/kml/2.2"><Document><Folder><name>Tehran</name>
        <Placemark><name>خاوران</name><description><![CDATA[<b>1988</b>]]></description>
          <ExtendedData><Data name="victims"><value>300</value></Data></ExtendedData>
          <Point><coordinates>51.4711,35.6311,0</coordinates></Point></Placemark>
        <Placemark><name>Area</name><ExtendedData><SchemaData schemaUrl="#s"><SimpleData name="kind">cemetery</SimpleData></SchemaData></ExtendedData>
          <MultiGeometry><Polygon><outerBoundaryIs><LinearRing><coordinates>0,0 1,0 1,1 0,1 0,0</coordinates></LinearRing></outerBoundaryIs>
          <innerBoundaryIs><LinearRing><coordinates>0.2,0.2 0.4,0.2 0.4,0.4 0.2,0.2</coordinates></LinearRing></innerBoundaryIs></Polygon>
          <Polygon><outerBoundaryIs><LinearRing><coordinates>5,5 6,5 6,6 5,5</coordinates></LinearRing></outerBoundaryIs></Polygon></MultiGeometry></Placemark>
        <Placemark><name>Nowhere</name></Placemark>
        </Folder></Document></kml>
        """
        let url = try folder.write("sites.kml", kml)
        let records = try readAll(KMLSource(url: url))
        #expect(records.count == (try folder.ogrinfoCount("sites.kml")))
        #expect(records[0].attributes == [
            Attribute("name", .string("خاوران")), Attribute("description", .string("<b>1988</b>")),
            Attribute("victims", .string("300")),
        ])
        #expect(records[0].geometry == .point(try Point(x: 51.4711, y: 35.6311)))
        guard case let .multiPolygon(multi)? = records[1].geometry else {
            Issue.record("expected a multipolygon")
            return
        }
        #expect(multi.polygons.map(\.rings.count) == [2, 1])
        #expect(records[1]["kind"] == .string("cemetery"))
        #expect(records[2].notes == [.skipped("no geometry")])
        try folder.zip("sites.kmz", ["sites.kml"])
        let kmz = try readAll(KMLSource(url: folder.path("sites.kmz")))
        #expect(kmz.map(\.geometry) == records.map(\.geometry))
    }

    @Test func geoPackageLayersAgainstGDAL() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try folder.write("spain.geojson", SampleData.spain)
        try folder.ogr2ogr("GPKG", "both.gpkg", "iran.geojson", ["-t_srs", "EPSG:32639", "-nln", "iran"])
        try folder.ogr2ogr("GPKG", "both.gpkg", "spain.geojson", ["-update", "-nln", "spain"])
        let layers = try GeoPackageSource.layers(of: folder.path("both.gpkg"))
        #expect(layers.map(\.layerName) == ["iran", "spain"])
        #expect(layers.map(\.crsDefinition) == ["EPSG:32639", "EPSG:4326"])
        let spain = try readAll(layers[1])
        #expect(spain.map { $0["NOMBRE"]?.text }[1] == "Cañada de los Mártires, Víznar")
        #expect(spain[0]["NUM"] == .integer(2238))
        let run = try ImportRun([folder.path("both.gpkg")])
        #expect(run.drafts.count == 5)
        let oracle = try folder.ogrFeatures("both.gpkg", options: ["iran"])
        let worst = zip(run.drafts.prefix(2), oracle).map { draft, feature -> Double in
            let theirs = (try? OracleGeometry.from(feature["geometry"]))??.positions ?? []
            return zip(draft.geometry.positions, theirs).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? 1
        }.max() ?? 1
        #expect(worst < 1e-7)
        #expect(throws: ImportError.self) { try GeoPackageSource.layers(of: folder.path("both.gpkg"), only: "mexico") }
    }
}
