import Export
import Foundation
import Geometry
import Store

/// Four store sites for the output tests, and helpers to write them through the registry.
///
/// - A: public point at longitude 37.050000000000004 (the float that showed the unrounded WKT),
///   English and Persian names, a Solar Hijri date, a source record with a string, an integer,
///   a province and a boolean, an import identity.
/// - B: public polygon, a source record with a fractional number.
/// - R: restricted point (far from its cell centre), Persian name, description, and a source
///   field only it has (`RONLY`).
/// - C: confidential point, the only Kurdish name (`name:ku`), and a source field only it has
///   (`CONLY`).
enum OutputSites {
    static func make() throws -> [Site] {
        var a = Site(
            geometry: .point(try Point(x: 37.050000000000004, y: 35.6)), name: "Fosa A", type: .massGrave,
            status: .reported, condition: .destroyed, uncertaintyM: 25, victimsMin: 12, period: "PERIOD-A",
            date: try PartialDate(parsing: "1367-05", calendar: .solarHijri), sensitivity: .public, description: "DESC-A",
            sourceAttributes: #"{"NOMBRE":"Fosa A","NUM":2238,"PROVINCIA_":"Sevilla","OK":true}"#,
            dataset: "survey", sourceKey: "KEY-A-1")
        a.names = [SiteName(language: "en", name: "Grave A"), SiteName(language: "fa", name: "گور الف")]
        var b = Site(
            geometry: .polygon(try Polygon(rings: [[
                Position(x: 51.40, y: 35.60), Position(x: 51.41, y: 35.60), Position(x: 51.41, y: 35.61),
                Position(x: 51.40, y: 35.60),
            ]])),
            name: "Fosa B", type: .cemetery, status: .confirmed, condition: .intact, sensitivity: .public,
            sourceAttributes: #"{"NOMBRE":"Fosa B","NUM":7.5,"PROVINCIA_":"Huelva"}"#, dataset: "survey", sourceKey: "B-2")
        b.names = [SiteName(language: "en", name: "Grave B")]
        var r = Site(
            geometry: .point(try Point(x: 51.4271, y: 35.6313)), name: "NAME-R", type: .executionSite,
            status: .corroborated, condition: .builtOver, victimsMin: 40, period: "PERIOD-R", sensitivity: .restricted,
            description: "DESC-R", sourceAttributes: #"{"NOMBRE":"SECRET-R","RONLY":"R-ONLY-VALUE"}"#,
            dataset: "survey", sourceKey: "R-3")
        r.names = [SiteName(language: "fa", name: "نام-R")]
        var c = Site(
            geometry: .point(try Point(x: 48.6712, y: 31.3181)), name: "NAME-C", type: .massGrave,
            status: .reported, condition: .damaged, sensitivity: .confidential, description: "DESC-C",
            sourceAttributes: #"{"NOMBRE":"SECRET-C","CONLY":"C-ONLY-VALUE"}"#, dataset: "survey", sourceKey: "C-4")
        c.names = [SiteName(language: "ku", name: "KU-NAME-C")]
        return [a, b, r, c]
    }

    /// Strings that must not appear in anything written for `audience`.
    static func secrets(for audience: Audience) -> [String] {
        switch audience {
        case .public:
            ["NAME-R", "نام-R", "DESC-R", "PERIOD-R", "SECRET-R", "R-ONLY-VALUE", "RONLY", "NAME-C", "KU-NAME-C",
             "DESC-C", "SECRET-C", "C-ONLY-VALUE", "CONLY", "name:ku", "Sevilla", "PROVINCIA_", "survey", "KEY-A-1",
             "1367-05", "sensitivity", "dataset", "source_key", "date_text"]
        case .partner:
            ["NAME-C", "KU-NAME-C", "DESC-C", "SECRET-C", "C-ONLY-VALUE", "CONLY", "name:ku", "KEY-A-1", "1367-05"]
        case .internal:
            []
        }
    }

    /// Writes the sites for `audience` in `format`, columns gathered from the rows.
    @discardableResult
    static func write(_ sites: [Site], audience: Audience, format: OutputFormat, to path: String,
                      figures: [String] = [], values: (Int) -> [PropertyValue?] = { _ in [] },
                      summary: OutputSummary? = nil, options: OutputOptions = OutputOptions()) throws -> OutputColumns {
        let view = AudienceView(audience: audience)
        let rows = sites.enumerated().map { k, site in
            SiteRow(site: site, treatment: view.treatment(of: site.sensitivity), figures: values(k))
        }
        let columns = OutputColumns.gathering(rows, view: view, figures: figures)
        try format.write(rows, columns: columns, to: .file(path), options: options, summary: summary)
        return columns
    }

    /// Features as GDAL reads them: properties by name, as JSON values (with the feature's `id`).
    static func gdal(_ path: String, openOptions: [String] = [], layer: [String] = []) throws -> [[String: Any]] {
        var args = ["ogr2ogr", "-f", "GeoJSONSeq", "/vsistdout/", path] + layer + ["-lco", "RS=NO"]
        for o in openOptions { args += ["-oo", o] }
        let r = try runTool(args)
        guard r.status == 0 else { throw TestFailure("ogr2ogr \(path): \(r.err)") }
        return try r.out.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            var properties = object?["properties"] as? [String: Any] ?? [:]
            // GDAL writes a string `id` field back as the feature's id member.
            if properties["id"] == nil, let id = object?["id"] { properties["id"] = id }
            return properties
        }
    }
}
