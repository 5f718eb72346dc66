import TestSupport
@testable import Export
import Foundation
import Geometry
import Store
import Testing

/// The one output path: the field table, the registry's writers read back by GDAL and by a real
/// JSON parser, source attributes per audience, summaries, and the format slips fixed.
@Suite struct OutputFormatTests {
    @Test func registryFindsEveryFormatByName() throws {
        #expect(OutputFormat.names == ["table", "csv", "json", "geojson", "geojsonseq", "kml", "gpkg"])
        for name in OutputFormat.names { #expect(OutputFormat.named(name)?.name == name) }
        #expect(OutputFormat.named("shapefile") == nil)
        let columns = OutputColumns(view: AudienceView(audience: .public))
        #expect(throws: ExportError.self) { try OutputFormat.gpkg.make(.standardOutput, columns) }
    }

    @Test func everyFormatCarriesTheSameFieldsAtInternal() throws {
        let dir = try temporaryDirectory("fields")
        let sites = try OutputSites.make()
        let a = sites[0]
        var paths: [String: String] = [:]
        for format in ["csv", "geojson", "json", "kml", "gpkg"] {
            let path = dir + "/all." + format
            paths[format] = path
            try OutputSites.write(sites, audience: .internal, format: try #require(OutputFormat.named(format)), to: path)
        }
        // JSON and GeoJSON through a real parser: ids upper case as stored, the internal fields,
        // the source record with its types.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths["json"] ?? ""))) as? [[String: Any]])
        let geojson = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: paths["geojson"] ?? ""))) as? [String: Any])
        let features = try #require(geojson["features"] as? [[String: Any]])
        #expect(json.count == 4 && features.count == 4)
        for (object, feature) in zip(json, features) {
            let properties = try #require(feature["properties"] as? [String: Any])
            #expect(feature["id"] as? String == properties["id"] as? String)
            #expect(Set(properties.keys) == Set(object.keys).subtracting(["geometry"]), "JSON and GeoJSON carry the same fields")
        }
        let first = try #require(json.first)
        #expect(first["id"] as? String == a.id.uuidString)
        #expect(first["name:fa"] as? String == "گور الف")
        #expect(first["dataset"] as? String == "survey" && first["source_key"] as? String == "KEY-A-1")
        #expect(first["sensitivity"] as? String == "public" && first["date_text"] as? String == "1367-05")
        let source = try #require(first["source"] as? [String: Any])
        #expect(source["NOMBRE"] as? String == "Fosa A" && source["PROVINCIA_"] as? String == "Sevilla")
        #expect(source["NUM"] as? Int == 2238)
        #expect(try String(contentsOfFile: paths["json"] ?? "", encoding: .utf8).contains(#""NUM":2238,"#), "an integer stays an integer")
        #expect(source["OK"] as? Bool == true)
        #expect(((json[1]["source"] as? [String: Any])?["NUM"] as? Double) == 7.5)

        // CSV, GeoJSON, KML and GeoPackage as GDAL reads them: every site, the same ids.
        let csv = try OutputSites.gdal(paths["csv"] ?? "", openOptions: ["GEOM_POSSIBLE_NAMES=wkt", "KEEP_GEOM_COLUMNS=NO"])
        let gdalGeoJSON = try OutputSites.gdal(paths["geojson"] ?? "")
        let gpkg = try OutputSites.gdal(paths["gpkg"] ?? "", layer: ["sites"])
        let ids = Set(sites.map(\.id.uuidString))
        #expect(Set(csv.compactMap { $0["id"] as? String }) == ids)
        #expect(Set(gdalGeoJSON.compactMap { $0["id"] as? String }) == ids)
        #expect(Set(gpkg.compactMap { $0["uuid"] as? String }) == ids)
        let csvA = try #require(csv.first { $0["id"] as? String == a.id.uuidString })
        #expect(csvA["source:NUM"] as? String == "2238" && csvA["source:OK"] as? String == "true")
        #expect(csvA["date_text"] as? String == "1367-05" && csvA["dataset"] as? String == "survey")
        #expect(csv.first { $0["id"] as? String == sites[3].id.uuidString }?["source:CONLY"] as? String == "C-ONLY-VALUE")
        #expect(csvA["source:CONLY"] as? String == "", "empty where a site lacks the field")
        let gpkgA = try #require(gpkg.first { $0["uuid"] as? String == a.id.uuidString })
        #expect(gpkgA["source:NUM"] as? Int == 2238 && gpkgA["source:OK"] as? Bool == true)
        #expect(gpkg.first { $0["uuid"] as? String == sites[1].id.uuidString }?["source:NUM"] as? Double == 7.5)
        let validation = try runTool(["/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", paths["gpkg"] ?? ""])
        #expect(validation.status == 0 && validation.err.isEmpty, "\(validation.out) \(validation.err)")
        let kml = try KMLCheck.placemarks(paths["kml"] ?? "")
        #expect(kml.count == 4)
        #expect(kml.first?.data["source:NUM"] == "2238" && kml.first?.data["id"] == a.id.uuidString)
        #expect(kml.first?.data["name:fa"] == "گور الف")
    }

    @Test func publicAndPartnerSeeNoColumnOrValueTheyMayNotSee() throws {
        let dir = try temporaryDirectory("withheld")
        let sites = try OutputSites.make()
        for audience in [Audience.public, .partner] {
            let view = AudienceView(audience: audience)
            let columns = OutputColumns.gathering(
                sites.map { SiteRow(site: $0, treatment: view.treatment(of: $0.sensitivity)) }, view: view)
            #expect(!columns.header.contains("name:ku"), "the Kurdish name is only on a site \(audience) does not see exactly")
            if audience == .public {
                #expect(!columns.header.contains { $0.hasPrefix("source:") })
            } else {
                #expect(columns.sourceFields == ["NOMBRE", "NUM", "PROVINCIA_", "OK", "RONLY"])
            }
            for field in ["dataset", "source_key", "sensitivity", "date_text"] { #expect(!columns.keys.contains(field)) }
            var written: [String] = []
            for format in OutputFormat.all {
                let path = dir + "/\(audience).\(format.fileExtension)"
                try OutputSites.write(sites, audience: audience, format: format, to: path)
                written.append(path)
            }
            for path in written {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
                // The GeoPackage is a store: its schema names every store column, and a date
                // keeps the text it was given in.
                let storeWords: Set = ["sensitivity", "dataset", "source_key", "date_text", "1367-05"]
                for secret in OutputSites.secrets(for: audience) where bytes.range(of: Data(secret.utf8)) != nil {
                    if path.hasSuffix(".gpkg"), storeWords.contains(secret) { continue }
                    Issue.record("\(path) holds \(secret)")
                }
            }
            // Headers as GDAL reads them.
            let info = try runTool(["ogrinfo", "-ro", "-so", "-al", "-oo", "GEOM_POSSIBLE_NAMES=wkt", dir + "/\(audience).csv"]).out
            #expect(!info.contains("name:ku") && info.contains("name:fa"))
            #expect(info.contains("source:RONLY") == (audience == .partner))
        }
        // A generalised site keeps only the allowed fields and says so.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/public.json"))) as? [[String: Any]])
        let generalised = try #require(json.first { $0["generalised"] as? Bool == true })
        #expect(Set(generalised.keys) == ["id", "site_type", "status", "condition", "generalised", "cell_size_deg", "geometry"])
        #expect(generalised["cell_size_deg"] as? Double == 0.1)
        let point = try #require((generalised["geometry"] as? [String: Any])?["coordinates"] as? [Double])
        #expect(abs(point[0] - 51.45) < 1e-9 && abs(point[1] - 35.65) < 1e-9)
    }

    @Test func figuresLeadAndSummariesGoWhereTheFormatHasRoom() throws {
        let dir = try temporaryDirectory("summary")
        let sites = Array(try OutputSites.make().prefix(2))
        let summary = OutputSummary(["numberMatched": .int(40), "numberReturned": .int(2)], notes: ["38 more matched"])
        func write(_ format: OutputFormat, _ name: String) throws -> String {
            try OutputSites.write(sites, audience: .public, format: format, to: dir + "/" + name,
                                  figures: ["query_index", "distance_m"], values: { [.int(0), .double(Double($0) * 100.25)] },
                                  summary: summary)
            return try String(contentsOfFile: dir + "/" + name, encoding: .utf8)
        }
        let geojson = try write(.geojson, "s.geojson")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(geojson.utf8)) as? [String: Any])
        #expect(object["numberMatched"] as? Int == 40 && object["numberReturned"] as? Int == 2)
        #expect(object["notes"] as? [String] == ["38 more matched"])
        let properties = try #require((object["features"] as? [[String: Any]])?.last?["properties"] as? [String: Any])
        #expect(properties["distance_m"] as? Double == 100.25 && properties["query_index"] as? Int == 0)
        #expect(try #require(geojson.range(of: "\"query_index\"")).lowerBound < (try #require(geojson.range(of: "\"id\":\"\(sites[0].id.uuidString)\",\"name\""))).lowerBound)
        #expect(try OutputSites.gdal(dir + "/s.geojson").count == 2)

        let csv = try write(.csv, "s.csv")
        #expect(csv.hasPrefix("query_index,distance_m,id,name,name:en,name:fa,site_type,"))
        #expect(!csv.contains("numberMatched") && !csv.contains("38 more") && csv.split(separator: "\r\n").count == 3)
        let table = try write(.table, "s.txt")
        let lines = table.split(separator: "\n")
        #expect(lines.first?.hasPrefix("query_index  distance_m  id") == true)
        #expect(lines.last == "2 sites; numberMatched 40; numberReturned 2; 38 more matched")
        #expect(lines.count == 4)
        let json = try write(.json, "s.json")
        #expect((try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [Any])?.count == 2)
    }

    @Test func geoPackageCarriesFiguresAsTypedColumns() throws {
        let dir = try temporaryDirectory("gpkg-figures")
        let sites = try OutputSites.make()
        try OutputSites.write(sites, audience: .partner, format: .gpkg, to: dir + "/q.gpkg",
                              figures: ["distance_m", "inside", "label"],
                              values: { [.double(Double($0) + 0.5), .bool($0 % 2 == 0), .string("L\($0)")] })
        let info = try runTool(["ogrinfo", "-ro", "-so", dir + "/q.gpkg", "sites"]).out
        #expect(info.contains("distance_m: Real") && info.contains("inside: Integer(Boolean)") && info.contains("label: String"))
        #expect(info.contains("source:RONLY: String") && !info.contains("source:CONLY"))
        let rows = try OutputSites.gdal(dir + "/q.gpkg", layer: ["sites"])
        let byID = Dictionary(uniqueKeysWithValues: rows.compactMap { r in (r["uuid"] as? String).map { ($0, r) } })
        let a = try #require(byID[sites[0].id.uuidString])
        #expect(a["distance_m"] as? Double == 0.5 && a["inside"] as? Bool == true && a["label"] as? String == "L0")
        #expect(byID[sites[2].id.uuidString]?["source:RONLY"] as? String == "R-ONLY-VALUE")
        #expect(rows.count == 4, "the confidential site is generalised at partner, not absent")
        #expect(!FileManager.default.fileExists(atPath: dir + "/q.gpkg.extra"))
    }

    @Test func csvWKTIsRoundedLikeGeoJSON() throws {
        let dir = try temporaryDirectory("wkt")
        let sites = try OutputSites.make()
        try OutputSites.write(sites, audience: .internal, format: .csv, to: dir + "/w.csv")
        let text = try String(contentsOfFile: dir + "/w.csv", encoding: .utf8)
        #expect(text.contains("POINT (37.05 35.6)") && !text.contains("37.050000000000004"))
        let r = try runTool(["ogrinfo", "-ro", "-al", "-q", "-oo", "GEOM_POSSIBLE_NAMES=wkt", "-oo", "KEEP_GEOM_COLUMNS=NO", dir + "/w.csv"])
        #expect(r.out.contains("POINT (37.05 35.6)"))
        var bytes: [UInt8] = []
        for (v, expected) in [(37.050000000000004, "37.05"), (-0.12345678, "-0.1234568"), (2238.0, "2238"), (1e-9, "0"), (-51.5, "-51.5")] {
            bytes.removeAll()
            OutputBytes.number(v, decimals: 7, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == expected, "\(v)")
            #expect(Double(String(decoding: bytes, as: UTF8.self)) == (v * 1e7).rounded() / 1e7)
        }
    }

    @Test func kmlPlacemarkIDsAreXMLIDs() throws {
        let dir = try temporaryDirectory("kml-ids")
        let sites = try OutputSites.make()
        try OutputSites.write(sites, audience: .internal, format: .kml, to: dir + "/s.kml")
        let placemarks = try KMLCheck.placemarks(dir + "/s.kml")
        #expect(placemarks.map(\.id) == sites.map { "site-" + $0.id.uuidString })
        #expect(KMLRowWriter.placemarkID("1 2/3") == "site-1_2_3")
        #expect(try runTool(["ogrinfo", "-ro", "-so", "-al", dir + "/s.kml"]).out.contains("Feature Count: 4"))
    }

    @Test func filtersAndValidationReachSourceAttributesWhereTheyAreSeen() throws {
        let sites = try OutputSites.make()
        for audience in Audience.allCases {
            let view = AudienceView(audience: audience)
            let rows = sites.map { SiteRow(site: $0, treatment: view.treatment(of: $0.sensitivity)) }
            let columns = OutputColumns.gathering(rows, view: view)
            var filter = ExportFilter()
            filter.equals = [.init("PROVINCIA_", "Sevilla")]
            if audience == .public {
                #expect(throws: ExportError.self) { try filter.validate(against: columns) }
                do { try filter.validate(against: columns) } catch {
                    #expect("\(error)".contains("source attributes are withheld at public"))
                }
                continue
            }
            try filter.validate(against: columns)
            let records = try rows.compactMap { try columns.record(for: $0) }
            #expect(records.filter { filter.matches($0, in: columns) }.map(\.id) == [sites[0].id.uuidString])
            filter.equals = [.init("source:NUM", "2238")]
            #expect(records.filter { filter.matches($0, in: columns) }.count == 1)
            filter.equals = [.init("source:CONLY", "C-ONLY-VALUE")]
            if audience == .partner {
                #expect(throws: ExportError.self) { try filter.validate(against: columns) }
            } else {
                #expect(records.filter { filter.matches($0, in: columns) }.count == 1)
            }
        }
        let columns = OutputColumns(view: AudienceView(audience: .internal), languages: ["fa"], sourceFields: ["NUM"])
        #expect(throws: ExportError.unknownField(field: "conditon", audience: .internal, known: columns.knownFields)) {
            try columns.validate(fields: ["condition", "conditon"])
        }
        #expect(columns.knownFields.contains("condition") && columns.knownFields.contains("source:NUM"))
    }
}

/// KML read by python's XML parser: each Placemark's id (checked to be an XML NCName, what
/// `xsd:ID` requires) and its ExtendedData.
enum KMLCheck {
    struct Placemark {
        var id: String
        var data: [String: String]
    }

    static let script = #"""
    import sys, re, json
    import xml.etree.ElementTree as ET
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    ncname = re.compile(r"^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_.\-\u00B7\u00C0-\uFFFF]*$")
    out = []
    for p in ET.parse(sys.argv[1]).getroot().iter("{http://www.opengis.net/kml/2.2}Placemark"):
        i = p.get("id")
        if not ncname.match(i): raise SystemExit("not an xsd:ID: " + i)
        data = {d.get("name"): (d.findtext("k:value", default="", namespaces=ns)) for d in p.iter("{http://www.opengis.net/kml/2.2}Data")}
        out.append({"id": i, "data": data})
    print(json.dumps(out))
    """#

    static func placemarks(_ path: String) throws -> [Placemark] {
        let text = try runPython(script, [path])
        let list = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
        return list.map { Placemark(id: $0["id"] as? String ?? "", data: $0["data"] as? [String: String] ?? [:]) }
    }
}
