import Foundation
import TestSupport
import Testing

/// The shipped offline basemap, `geodata/basemap/natural-earth-110m.geojson`, as GDAL reads it:
/// one layer of the 177 Natural Earth 1:110m countries in EPSG:4326, every geometry valid, small
/// enough to serve with the page, and carrying only the properties its provenance lists.
@Suite struct BasemapGeodataTests {
    static func basemap() throws -> URL {
        try PackageRoot.url().appendingPathComponent("geodata/basemap/natural-earth-110m.geojson")
    }

    @Test func gdalReadsTheCountriesInWGS84() throws {
        let path = try Self.basemap().path
        let info = try runProgram("/usr/bin/env", ["ogrinfo", "-ro", "-so", path, "natural-earth-110m"], timeout: 60)
        #expect(info.status == 0, "\(info.stderr)")
        #expect(info.stdout.contains("Feature Count: 177"), "\(info.stdout)")
        #expect(info.stdout.contains(#"ID["EPSG",4326]"#), "\(info.stdout)")
        for field in ["adm0_a3: String", "name_en: String", "name_fa: String"] {
            #expect(info.stdout.contains(field), "no \(field)")
        }
        let invalid = try runProgram("/usr/bin/env", [
            "ogrinfo", "-ro", "-q", "-dialect", "SQLite", "-sql",
            #"SELECT adm0_a3 FROM "natural-earth-110m" WHERE NOT ST_IsValid(geometry)"#, path,
        ], timeout: 60)
        #expect(invalid.status == 0 && !invalid.stdout.contains("adm0_a3 ("), "invalid: \(invalid.stdout) \(invalid.stderr)")
    }

    @Test func isSmallWithFourDecimalsAndOnlyTheListedProperties() throws {
        let data = try Data(contentsOf: Self.basemap())
        #expect(data.count <= 300 * 1024)
        let collection = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let features = try #require(collection["features"] as? [[String: Any]])
        var iran: [String: Any]?
        for feature in features {
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(Set(properties.keys).isSubset(of: ["adm0_a3", "name_en", "name_fa"]), "\(properties.keys)")
            #expect(properties["name_en"] is String)
            if properties["adm0_a3"] as? String == "IRN" { iran = properties }
        }
        #expect(iran?["name_en"] as? String == "Iran" && iran?["name_fa"] as? String == "ایران")
        // No coordinate has more than four decimals.
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.range(of: #"\.[0-9]{5}"#, options: .regularExpression) == nil)
    }
}
