import TestSupport
import Foundation
import Testing
@testable import Geometry

/// ESRI WKT as ArcGIS writes it into shapefile `.prj` files.
let esriWGS84 = #"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#
let esriUTM39N = #"PROJCS["WGS_1984_UTM_Zone_39N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",51.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#

@Suite struct ProjectionCRSTests {
    @Test(arguments: ["EPSG:4326", "epsg:4326", " EPSG:4326\n"])
    func epsgCodesInAnyCase(definition: String) throws {
        let crs = try CoordinateReferenceSystem(definition)
        #expect(crs.epsgCode == 4326)
        #expect(crs.isGeographic)
        #expect(crs.axisUnit == "degree")
        #expect(crs.name == "WGS 84")
        #expect(crs.label == "EPSG:4326")
    }

    @Test func projectedSystemsKnowTheirUnits() throws {
        let ny = try CoordinateReferenceSystem.epsg(2263)
        #expect(ny.epsgCode == 2263)
        #expect(!ny.isGeographic)
        #expect(ny.axisUnit == "US survey foot")
        #expect(abs(ny.axisUnitFactor - 1200.0 / 3937.0) < 1e-15)
        let utm = try CoordinateReferenceSystem.epsg(32639)
        #expect(utm.axisUnit == "metre")
        #expect(utm.name == "WGS 84 / UTM zone 39N")
    }

    @Test(arguments: [(esriWGS84, 4326), (esriUTM39N, 32639)])
    func esriPrjIsIdentified(text: String, code: Int) throws {
        let crs = try CoordinateReferenceSystem(text)
        #expect(crs.epsgCode == code)
    }

    /// The `.prj` text GDAL itself writes for shapefiles (`MorphToESRI`), as a second source.
    @Test func gdalWrittenPrjIsIdentified() throws {
        let codes = [4326, 32639, 2263]
        let script = """
            from osgeo import osr
            for code in \(codes):
                s = osr.SpatialReference(); s.ImportFromEPSG(code); s.MorphToESRI(); print(s.ExportToWkt())
            """
        let prjs = try Subprocess.run(["/usr/bin/python3", "-c", script]).split(separator: "\n")
        try #require(prjs.count == codes.count)
        for (prj, code) in zip(prjs, codes) {
            #expect(prj.hasPrefix(code == 4326 ? "GEOGCS[\"GCS_WGS_1984\"" : "PROJCS["))
            #expect(try CoordinateReferenceSystem(String(prj)).epsgCode == code)
        }
    }

    /// WKT1 and WKT2 as `projinfo` writes them, with and without their authority codes.
    @Test(arguments: ["WKT1_GDAL", "WKT2_2019"])
    func ogcWKTIsIdentified(format: String) throws {
        let wkt = try Subprocess.run(["projinfo", "-o", format, "-q", "EPSG:32639"])
        #expect(try CoordinateReferenceSystem(wkt).epsgCode == 32639)
        let stripped = wkt
            .replacingOccurrences(of: #",\s*(AUTHORITY|ID)\["EPSG","?\d+"?\]"#, with: "",
                                  options: .regularExpression)
        #expect(!stripped.contains("32639"))
        let crs = try CoordinateReferenceSystem(stripped)
        #expect(crs.epsgCode == 32639)
    }

    @Test func projStringIsIdentified() throws {
        let crs = try CoordinateReferenceSystem("+proj=utm +zone=39 +datum=WGS84")
        #expect(!crs.isGeographic)
        #expect(crs.epsgCode == 32639)
        let longlat = try CoordinateReferenceSystem("+proj=longlat +datum=WGS84 +no_defs")
        #expect(longlat.isGeographic)
        #expect(longlat.epsgCode == 4326)
    }

    @Test func projJSONRoundTrips() throws {
        let utm = try CoordinateReferenceSystem.epsg(32639)
        #expect(utm.definition.hasPrefix("{"))
        let again = try CoordinateReferenceSystem(utm.definition)
        #expect(again == utm)
    }

    @Test func unknownDefinitionsCarryPROJsMessage() throws {
        let cases = [
            ("EPSG:999999", "crs not found"), ("+proj=nonsense", "Unknown projection"),
            (#"GEOGCS["broken"#, "missing"), ("not a crs", "unknown name"),
            ("urn:ogc:def:coordinateOperation:EPSG::16039", "not a coordinate reference system"),
        ]
        for (text, words) in cases {
            do {
                _ = try CoordinateReferenceSystem(text)
                Issue.record("\(text) was accepted")
            } catch let GeometryError.unknownCRS(definition, message) {
                #expect(definition == text)
                #expect(message.contains(words), "\(text): \(message)")
            }
        }
    }
}
