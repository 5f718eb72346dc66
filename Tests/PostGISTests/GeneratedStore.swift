import Foundation
import Geometry
import Store
import TestSupport

/// A GeoPackage store built for the PostGIS tests, from a seed: points, polygons and
/// multipolygons around Tehran, Ahvaz and in northern Spain (and a few far north, where a
/// degree of longitude is short); names in Persian, Spanish and English; events with partial
/// dates (Solar Hijri months, years, intervals); sources with evidence hashes; links with notes;
/// an update and a deletion in its audit log.
enum GeneratedStore {
    static let centres = [Position(x: 51.389, y: 35.689), Position(x: 48.669, y: 31.318),
                          Position(x: -3.7, y: 42.35), Position(x: 18.9, y: 69.65)]

    static func make(at path: String, sites count: Int, seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let store = try SiteStore.create(at: path)
        defer { try? store.close() }
        try store.setGrid(GeneralisationGrid())
        _ = try store.orderSalt()
        let report = Source(type: .document, title: "Informe sobre fosas de la Guerra Civil — Burgos",
                            reference: "https://example.org/informe\ttabulado\\n", date: try PartialDate(parsing: "2011-06"),
                            sha256: String(repeating: "ab", count: 32), sensitivity: .public, attributes: #"{"páginas": 212}"#)
        let testimony = Source(type: .testimony, title: "شهادت یکی از خانواده‌ها", reference: nil,
                               date: try PartialDate(parsing: "1367-05 SH"), sha256: nil, sensitivity: .confidential)
        try store.insert(report)
        try store.insert(testimony)
        var ids: [UUID] = []
        for i in 0..<count {
            let centre = centres[i % centres.count]
            let x = centre.x + Double(random.next() % 20_000) / 100_000 - 0.1
            let y = centre.y + Double(random.next() % 20_000) / 100_000 - 0.1
            let geometry: Geometry
            switch i % 3 {
            case 0: geometry = .point(try Point(x: x, y: y))
            case 1:
                let d = 0.0005 + Double(random.next() % 100) / 100_000
                geometry = .polygon(try Polygon(rings: [[Position(x: x, y: y), Position(x: x + d, y: y), Position(x: x + d, y: y + d),
                                                        Position(x: x, y: y + d), Position(x: x, y: y)]]))
            default:
                let d = 0.0004
                let a = try Polygon(rings: [[Position(x: x, y: y), Position(x: x + d, y: y), Position(x: x, y: y + d), Position(x: x, y: y)]])
                let b = try Polygon(rings: [[Position(x: x + 2 * d, y: y), Position(x: x + 3 * d, y: y), Position(x: x + 3 * d, y: y + d),
                                             Position(x: x + 2 * d, y: y)]])
                geometry = .multiPolygon(MultiPolygon([a, b]))
            }
            let spanish = i % 4 == 2
            var site = Site(geometry: geometry, name: spanish ? "Fosa de La Pedraja \(i)" : "Site \(i)",
                            type: SiteType.allCases[i % SiteType.allCases.count],
                            status: SiteStatus.allCases[i % SiteStatus.allCases.count],
                            condition: SiteCondition.allCases[i % SiteCondition.allCases.count],
                            locationPrecision: LocationPrecision.allCases[i % LocationPrecision.allCases.count],
                            uncertaintyM: i % 5 == 0 ? nil : Double(i) * 12.5 + 0.1,
                            victimsMin: i % 2 == 0 ? i : nil, victimsMax: i % 2 == 0 ? i * 3 + 1 : nil,
                            victimsIdentified: i % 6 == 0 ? i / 2 : nil,
                            period: spanish ? "Guerra Civil, 1936–1939" : "1988 prison massacres",
                            date: try PartialDate(parsing: ["1988", "1367-05 SH", "1936-08/1937-02", "12 مرداد 1367"][i % 4]),
                            sensitivity: Sensitivity.allCases[i % Sensitivity.allCases.count],
                            description: i % 7 == 0 ? "Línea uno\nلاین دو\t«quoted»" : nil,
                            sourceAttributes: #"{"n": \#(i), "nombre": "Peña", "نام": "خاوران"}"#,
                            dataset: i % 2 == 0 ? "generated" : nil, sourceKey: i % 2 == 0 ? "record-\(i)" : nil)
            site.names = spanish
                ? [SiteName(language: "es", name: "Fosa común de La Pedraja \(i)"), SiteName(language: "eu", name: "Pedrajako hobia")]
                : [SiteName(language: "fa", name: "گورستان خاوران \(i)"), SiteName(language: "fa-Latn", name: "Gurestan-e Khavaran"),
                   SiteName(language: "en", name: "Khavaran cemetery \(i)")]
            try store.insert(site)
            ids.append(site.id)
            let event = SiteEvent(site: site.id, type: SiteEventType.allCases[i % SiteEventType.allCases.count],
                                  date: try PartialDate(parsing: ["2003/2017", "1388-02 SH", "2005-03-14", "2016"][i % 4]),
                                  description: i % 3 == 0 ? "bulldozed — تخریب شد" : nil,
                                  sources: [spanish ? report.id : testimony.id])
            try store.insert(event)
            if i % 5 == 0 { try store.link(site: site.id, source: report.id, note: "citado en la p. \(i)") }
        }
        if ids.count > 2 {
            guard var changed = try store.site(id: ids[1]) else { return }
            changed.condition = .builtOver
            try store.update(changed)
            try store.deleteSite(id: ids[2])
        }
    }
}
