import Foundation
import Geometry
import Testing
@testable import Import

/// The shapefile reader against fixtures written by `ogr2ogr`.
@Suite struct ShapefileTests {
    private func readAll(_ source: some FeatureSource) throws -> [ImportedRecord] {
        var records: [ImportedRecord] = []
        while let record = try source.next() { records.append(record) }
        return records
    }

    private func strings(_ records: [ImportedRecord], _ field: String) -> [String?] {
        records.map { $0[field]?.text }
    }

    @Test func utf8WithCPGKeepsEveryString() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        let shp = try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        let source = try ShapefileSource(url: shp)
        let records = try readAll(source)
        #expect(source.encoding == DeclaredEncoding(name: "UTF-8", origin: .cpg))
        #expect(records.count == (try folder.ogrinfoCount("spain.shp")))
        #expect(strings(records, "NOMBRE") == [
            "Fosa de Paterna", "Cañada de los Mártires, Víznar", "Fosa común de Calatañazor (Soria)",
        ])
        #expect(records.allSatisfy { $0.notes.isEmpty })
        #expect(records[0]["NUM"] == .integer(2238))
        #expect(records[2]["NUM"] == .null)
    }

    @Test func windows1252WithoutCPGFallsBackAndSaysWhich() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "CP1252")
        try FileManager.default.removeItem(at: folder.path("spain.cpg"))
        let source = try ShapefileSource(url: folder.path("spain.shp"))
        let records = try readAll(source)
        #expect(source.encoding?.origin == DeclaredEncoding.Origin.none)
        #expect(strings(records, "NOMBRE") == [
            "Fosa de Paterna", "Cañada de los Mártires, Víznar", "Fosa común de Calatañazor (Soria)",
        ])
        #expect(records[0].notes.isEmpty)
        #expect(records[1].notes == [.reencoded(field: "NOMBRE", encoding: "windows-1252")])
        #expect(records[2].notes == [.reencoded(field: "NOMBRE", encoding: "windows-1252")])
    }

    @Test func iso88591DeclaredOnlyInCST() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "ISO-8859-1")
        try FileManager.default.removeItem(at: folder.path("spain.cpg"))
        try folder.write("spain.cst", "ISO-8859-1\n")
        let source = try ShapefileSource(url: folder.path("spain.shp"))
        let records = try readAll(source)
        #expect(source.encoding == DeclaredEncoding(name: "ISO-8859-1", origin: .cst))
        #expect(strings(records, "NOMBRE")[1] == "Cañada de los Mártires, Víznar")
        #expect(records.allSatisfy { $0.notes.isEmpty })
    }

    @Test func persianInWindows1256WithCPG() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPoints)
        try folder.shapefile("iran", from: "iran.geojson", encoding: "CP1256")
        let source = try ShapefileSource(url: folder.path("iran.shp"))
        let records = try readAll(source)
        #expect(source.encoding == DeclaredEncoding(name: "CP1256", origin: .cpg))
        #expect(strings(records, "NAME") == ["خاوران", "لعنت‌آباد"])
    }

    @Test func encodingOptionOverridesTheFiles() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPoints)
        try folder.shapefile("iran", from: "iran.geojson", encoding: "CP1256")
        try FileManager.default.removeItem(at: folder.path("iran.cpg"))
        let guessed = try readAll(ShapefileSource(url: folder.path("iran.shp")))
        #expect(guessed[0]["NAME"]?.text != "خاوران")
        #expect(guessed[0].notes == [.reencoded(field: "NAME", encoding: "windows-1252")])
        let told = try readAll(ShapefileSource(url: folder.path("iran.shp"), encoding: "windows-1256"))
        #expect(told[0]["NAME"]?.text == "خاوران")
        #expect(throws: ImportError.self) { try ShapefileSource(url: folder.path("iran.shp"), encoding: "klingon-9") }
    }

    @Test func anyCaseOfExtension() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        let manager = FileManager.default
        try manager.moveItem(at: folder.path("spain.shp"), to: folder.path("Spain.SHP"))
        try manager.moveItem(at: folder.path("spain.shx"), to: folder.path("Spain.Shx"))
        try manager.moveItem(at: folder.path("spain.dbf"), to: folder.path("SPAIN.dbf"))
        try manager.moveItem(at: folder.path("spain.cpg"), to: folder.path("spain.CPG"))
        let source = try ShapefileSource(url: folder.path("Spain.SHP"))
        let records = try readAll(source)
        #expect(records.count == 3)
        #expect(source.encoding?.origin == .cpg)
        #expect(records[1]["NOMBRE"]?.text == "Cañada de los Mártires, Víznar")
    }

    @Test func nullShapesAreSkippedWithTheirRecordNumber() throws {
        let folder = try FixtureFolder()
        try folder.write("nulls.geojson", SampleData.withNulls)
        try folder.shapefile("nulls", from: "nulls.geojson")
        let records = try readAll(ShapefileSource(url: folder.path("nulls.shp")))
        #expect(records.count == 3)
        #expect(records[1].recordNumber == 2)
        #expect(records[1].geometry == nil)
        #expect(records[1].notes == [.skipped("null shape")])
        #expect(records[1]["ID"] == .integer(2))
        #expect(records[2].geometry == .point(try Point(x: 11, y: 21)))
    }

    @Test func truncatedShpIsAnError() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        let shp = try folder.shapefile("iran", from: "iran.geojson")
        let bytes = try Data(contentsOf: shp)
        try bytes.prefix(bytes.count - 40).write(to: shp)
        #expect {
            _ = try ShapefileSource(url: shp)
        } throws: { error in
            guard case let ImportError.truncated(file, reason) = error else { return false }
            return file == shp.path && reason.contains("header says \(bytes.count) bytes")
        }
    }

    @Test func dbfWithFewerRecordsSkipsTheShapesWithoutAttributes() throws {
        let folder = try FixtureFolder()
        try folder.write("all.geojson", SampleData.spain)
        try folder.shapefile("all", from: "all.geojson", encoding: "UTF-8")
        try folder.ogr2ogr("ESRI Shapefile", "two.shp", "all.geojson", ["-lco", "ENCODING=UTF-8", "-limit", "2"])
        try FileManager.default.removeItem(at: folder.path("all.dbf"))
        try FileManager.default.copyItem(at: folder.path("two.dbf"), to: folder.path("all.dbf"))
        let source = try ShapefileSource(url: folder.path("all.shp"))
        let records = try readAll(source)
        #expect(records.count == 3)
        #expect(records[0].notes.isEmpty && records[1].notes.isEmpty)
        #expect(records[2].notes == [.skipped("no attributes: the .dbf has only 2 records")])
        #expect(source.fileNotes.contains { $0.contains("the .dbf has 2 records but the .shp has 3 shapes") })
    }

    @Test func missingShxIsRebuiltWithoutTouchingTheUsersFolder() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try folder.shapefile("iran", from: "iran.geojson")
        let complete = try readAll(ShapefileSource(url: folder.path("iran.shp")))
        try FileManager.default.removeItem(at: folder.path("iran.shx"))
        let source = try ShapefileSource(url: folder.path("iran.shp"))
        let rebuilt = try readAll(source)
        #expect(rebuilt.map(\.geometry) == complete.map(\.geometry))
        #expect(source.fileNotes.contains { $0.contains("no .shx index") })
        #expect(!FileManager.default.fileExists(atPath: folder.path("iran.shx").path))
    }

    @Test func multipartPolygonsWithHolesMatchGDAL() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try folder.shapefile("iran", from: "iran.geojson")
        let records = try readAll(ShapefileSource(url: folder.path("iran.shp")))
        let oracle = try folder.ogrFeatures("iran.shp")
        #expect(records.count == oracle.count)
        for (record, feature) in zip(records, oracle) {
            let expected = try #require(try OracleGeometry.from(feature["geometry"]))
            let ours = try #require(record.geometry)
            #expect(try ours.normalized.typeName == expected.normalized.typeName)
            #expect(try ours.normalized.positions.count == expected.normalized.positions.count)
            #expect(try ours.contains(expected) && expected.contains(ours))
        }
        guard case let .multiPolygon(multi) = records[1].geometry else {
            Issue.record("record 2 should be a multipolygon")
            return
        }
        #expect(multi.polygons.map(\.rings.count) == [2, 1])
    }
}
