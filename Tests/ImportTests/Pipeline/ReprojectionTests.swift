import Foundation
import Geometry
import Testing
@testable import Import

/// Shapefiles written by ogr2ogr in projected systems come back in EPSG:4326 exactly where
/// `ogr2ogr -t_srs EPSG:4326` puts them.
@Suite struct ReprojectionTests {
    /// Imports `name.shp` and compares every position with GDAL's reprojection of the same file.
    private func compareWithGDAL(_ folder: FixtureFolder, _ name: String) throws -> ImportRun {
        let run = try ImportRun([folder.path(name + ".shp")])
        let oracle = try folder.ogrFeatures(name + ".shp")
        #expect(run.drafts.count == (try folder.ogrinfoCount(name + ".shp")))
        #expect(run.drafts.count == oracle.count)
        for (draft, feature) in zip(run.drafts, oracle) {
            let expected = try #require(try OracleGeometry.from(feature["geometry"]))
            let ours = draft.geometry.positions, theirs = expected.positions
            #expect(ours.count == theirs.count)
            let worst = zip(ours, theirs).map { max(abs($0.x - $1.x), abs($0.y - $1.y)) }.max() ?? .infinity
            #expect(worst < 1e-7, "record \(draft.recordNumber) differs by \(worst)°")
        }
        return run
    }

    @Test func utmZone39() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        try folder.shapefile("iran32639", from: "iran.geojson", srs: "EPSG:32639", encoding: "CP1256")
        let run = try compareWithGDAL(folder, "iran32639")
        #expect(run.report.files[0].crs == "EPSG:32639")
        #expect(run.drafts.map(\.name) == ["گورستان بهشت زهرا", "اهواز، بلوار پرواز"])
    }

    @Test func newYorkLongIslandInUSFeet() throws {
        let folder = try FixtureFolder()
        try folder.write("ny.geojson", SampleData.newYork)
        try folder.shapefile("ny2263", from: "ny.geojson", srs: "EPSG:2263", encoding: "UTF-8")
        let run = try compareWithGDAL(folder, "ny2263")
        #expect(run.report.files[0].crs == "EPSG:2263")
    }

    @Test func webMercator() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.shapefile("spain3857", from: "spain.geojson", srs: "EPSG:3857", encoding: "UTF-8")
        let run = try compareWithGDAL(folder, "spain3857")
        #expect(run.drafts.map(\.name)[1] == "Cañada de los Mártires, Víznar")
        #expect(run.drafts.allSatisfy { $0.locationPrecision == "approximate" })
    }

    @Test func projectedDataWithoutCRSAsksForIt() throws {
        let folder = try FixtureFolder()
        try folder.write("iran.geojson", SampleData.iranPoints)
        try folder.shapefile("iran", from: "iran.geojson", srs: "EPSG:32639")
        try FileManager.default.removeItem(at: folder.path("iran.prj"))
        #expect {
            _ = try ImportRun([folder.path("iran.shp")])
        } throws: { error in
            guard let error = error as? ImportError, case .missingCRS(_, 1, _, _) = error else { return false }
            return error.description.contains("--crs")
        }
        var options = ImportOptions()
        options.crs = "EPSG:32639"
        let run = try ImportRun([folder.path("iran.shp")], options: options)
        let khavaran = try #require(run.drafts.first?.geometry.positions.first)
        #expect(abs(khavaran.x - 51.4711) < 1e-7 && abs(khavaran.y - 35.6311) < 1e-7)
    }

    @Test func legacyGeoJSONCRSMember() throws {
        let folder = try FixtureFolder()
        try folder.write("spain.geojson", SampleData.spain)
        try folder.ogr2ogr("GeoJSON", "spain3857.geojson", "spain.geojson", ["-t_srs", "EPSG:3857"])
        let text = try String(contentsOf: folder.path("spain3857.geojson"), encoding: .utf8)
        #expect(text.contains("\"crs\""))
        let run = try ImportRun([folder.path("spain3857.geojson")])
        #expect(run.report.files[0].crs == "EPSG:3857")
        let first = try #require(run.drafts.first?.geometry.positions.first)
        #expect(abs(first.x - -0.4437) < 1e-7 && abs(first.y - 39.5028) < 1e-7)
    }
}
