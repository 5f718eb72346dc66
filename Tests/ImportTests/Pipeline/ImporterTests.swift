import Foundation
import Geometry
import Testing
@testable import Import

/// The import run as a whole: broken inputs, repairs, rejections, strictness and the report.
@Suite struct ImporterTests {
    @Test func zipWithTwoShapefiles() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try FileManager.default.createDirectory(at: folder.path("data"), withIntermediateDirectories: true)
        try folder.shapefile("data/spain", from: "spain.geojson", encoding: "UTF-8")
        try folder.shapefile("data/iran", from: "iran.geojson", srs: "EPSG:32639", encoding: "CP1256")
        let members = ["spain", "iran"].flatMap { base in ["shp", "shx", "dbf", "prj", "cpg"].map { "data/\(base).\($0)" } }
        let zip = try folder.zip("both.zip", members)
        let run = try ImportRun([zip])
        #expect(run.report.files.map(\.layer) == ["iran", "spain"])
        #expect(run.report.files.map(\.dataset) == ["both/iran", "both/spain"])
        #expect(run.report.files.map(\.imported) == [2, 3])
        #expect(run.drafts.map(\.name).contains("گورستان بهشت زهرا"))
        #expect(run.drafts.map(\.name).contains("Fosa de Paterna"))
        #expect(run.report.files[0].file == zip.path + "/data/iran.shp")
    }

    @Test func selfIntersectingPolygonIsRepairedAndReported() throws {
        let folder = try FixtureFolder()
        let bowtie = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"name":"bowtie"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}},
        {"type":"Feature","properties":{"name":"square"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}
        """
        try folder.write("bowtie.geojson", bowtie)
        try folder.shapefile("bowtie", from: "bowtie.geojson")
        let run = try ImportRun([folder.path("bowtie.shp")])
        #expect(run.drafts.count == 2)
        #expect(try run.drafts[0].geometry.isValid)
        #expect(run.drafts[0].geometry.typeName == "MultiPolygon")
        #expect(run.report.files[0].repaired == 1)
        let entry = try #require(run.report.entries.first { $0.kind == "repaired" })
        #expect(entry.record == 1)
        #expect(entry.detail.contains("Self-intersection"))
        #expect(run.drafts[1].geometry == .polygon(try Polygon(rings: [[
            Position(x: 0, y: 0), Position(x: 0, y: 1), Position(x: 1, y: 1), Position(x: 1, y: 0), Position(x: 0, y: 0),
        ]])))
    }

    @Test func linesAndNullShapesAreSkippedOrFatalWhenStrict() throws {
        let folder = try FixtureFolder()
        let lines = """
        {"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"id":1},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}
        """
        try folder.write("lines.geojson", lines)
        try folder.shapefile("lines", from: "lines.geojson")
        try folder.write("nulls.geojson", SampleData.withNulls)
        try folder.shapefile("nulls", from: "nulls.geojson")
        let run = try ImportRun([folder.path("lines.shp"), folder.path("nulls.shp")])
        #expect(run.drafts.count == 2)
        #expect(run.report.entries.filter { $0.kind == "skipped" }.map(\.detail) == [
            "a LineString is not a site (sites are points or areas)", "null shape",
        ])
        #expect(run.report.entries.filter { $0.kind == "skipped" }.map(\.record) == [1, 2])
        var strict = ImportOptions()
        strict.strict = true
        #expect(throws: ImportError.recordRejected(file: folder.path("nulls.shp").path, record: 2, reason: "null shape")) {
            _ = try ImportRun([folder.path("nulls.shp")], options: strict)
        }
    }

    @Test func fatalErrorsStopBeforeTheSinkSeesAnything() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
        try folder.write("iran.geojson", SampleData.iranPolygons)
        let truncated = try folder.shapefile("iran", from: "iran.geojson")
        let bytes = try Data(contentsOf: truncated)
        try bytes.prefix(bytes.count / 2).write(to: truncated)
        var received = 0
        #expect(throws: ImportError.self) {
            _ = try Importer(options: ImportOptions()).run(files: [folder.path("spain.shp"), truncated]) { _ in received += 1 }
        }
        #expect(received == 0)
        #expect(throws: ImportError.unreadable(file: folder.path("none.shp").path, reason: "no such file or not readable")) {
            _ = try ImportRun([folder.path("none.shp")])
        }
    }

    @Test func reportJSONListsEveryProblemRecord() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain", from: "spain.geojson", encoding: "CP1252")
        try FileManager.default.removeItem(at: folder.path("spain.cpg"))
        let run = try ImportRun([folder.path("spain.shp")])
        #expect(run.drafts[1].name == "Cañada de los Mártires, Víznar")
        let json = try JSONSerialization.jsonObject(with: Data(run.report.json().utf8)) as? [String: Any]
        let entries = json?["entries"] as? [[String: Any]] ?? []
        let reencoded = entries.filter { $0["kind"] as? String == "reencoded" }
        #expect(reencoded.compactMap { $0["record"] as? Int } == [2, 3])
        // ESTADO is recognised as the status, but CONFIRMADA is not a status without a mapping.
        let remarks = entries.filter { $0["kind"] as? String == "value_rejected" }.compactMap { $0["detail"] as? String }
        #expect(remarks.first == "status 'CONFIRMADA' is not one of suspected, reported, corroborated, confirmed: left as reported")
        #expect(run.report.summary.contains("2 re-encoded as windows-1252"))
        #expect(run.report.files[0].notes.contains { $0.contains("decoded as windows-1252 in fields NOMBRE") })
    }
}
