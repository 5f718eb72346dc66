import TestSupport
import Foundation
import Geometry
import Store

/// A store made with `graveatlas init` and `graveatlas import` from a GeoJSON file of public
/// and restricted sites around Tehran and confidential ones around Ahvaz (names in English and
/// Persian, descriptions), plus dated events added through the store, and what is known
/// about each site, for checking exports against.
struct ExportStoreFixture {
    struct Truth {
        var name: String
        var persianName: String
        var description: String
        var sensitivity: Sensitivity
        var type: SiteType
        var condition: SiteCondition
        var geometry: Geometry
        var center: Position
        var id: String = ""
        var lastEvent: String?
    }

    let directory: String
    let store: String
    let sites: [Truth]

    /// Every run gets its own folder; the store and inputs are rebuilt each time (a second).
    static func make(_ label: String) throws -> ExportStoreFixture {
        let dir = NSTemporaryDirectory() + "ga-export-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 1988)
        var sites: [Truth] = []
        func farFromCellCentre(_ p: Position) -> Bool {
            let cx = ((p.x / 0.1).rounded(.down) + 0.5) * 0.1, cy = ((p.y / 0.1).rounded(.down) + 0.5) * 0.1
            return FixtureShapes.metres(p, Position(x: cx, y: cy)) > 1_000
        }
        func add(_ n: Int, _ s: Sensitivity, _ region: BoundingBox) throws {
            var made = 0
            while made < n {
                let p = Position(x: Double.random(in: region.minX...region.maxX, using: &rng),
                                 y: Double.random(in: region.minY...region.maxY, using: &rng))
                if s != .public, !farFromCellCentre(p) { continue }
                let geometry = made % 3 == 2 ? try FixtureShapes.polygon(around: p, rng: &rng) : .point(try Point(p))
                let tag = "\(s.rawValue.uppercased())-\(made)"
                sites.append(Truth(
                    name: "NAME-\(tag)", persianName: "نام-\(tag)", description: "DESCRIPTION-\(tag)", sensitivity: s,
                    type: [.massGrave, .executionSite, .cemetery][made % 3],
                    condition: [.destroyed, .builtOver, .intact, .damaged][made % 4],
                    geometry: geometry, center: geometry.boundingBox?.center ?? p))
                made += 1
            }
        }
        let tehran = BoundingBox(minX: 51.0, minY: 35.4, maxX: 51.8, maxY: 36.0)
        try add(40, .public, tehran)
        try add(20, .restricted, tehran)
        try add(15, .confidential, BoundingBox(minX: 48.5, minY: 31.2, maxX: 48.9, maxY: 31.5))

        var features: [String] = []
        for (k, s) in sites.enumerated() {
            let properties: [String: Any] = [
                "key": k, "name": s.name, "name_fa": s.persianName, "description": s.description,
                "sensitivity": s.sensitivity.rawValue, "site_type": s.type.rawValue, "status": "reported",
                "condition": s.condition.rawValue, "location_precision": "exact",
            ]
            let props = String(decoding: try JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys]), as: UTF8.self)
            features.append(#"{"type":"Feature","properties":\#(props),"geometry":\#(s.geometry.geoJSON())}"#)
        }
        let input = dir + "/sites.geojson"
        try Data((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n").utf8)
            .write(to: URL(fileURLWithPath: input))
        try Data("key: key\nnames: {fa: name_fa}\n".utf8).write(to: URL(fileURLWithPath: dir + "/mapping.yaml"))
        let store = dir + "/atlas.gpkg"
        for args in [["init", store], ["import", store, input, "--mapping", dir + "/mapping.yaml"]] {
            let r = try GraveAtlasCommand.run(args)
            guard r.status == 0 else { throw FixtureError("graveatlas \(args[0]) failed: \(r.stderr)") }
        }

        // Events, through the store: every fifth site has some, a year, a month or a day.
        let opened = try SiteStore(path: store)
        var ids: [String: UUID] = [:]
        try opened.forEachSite { ids[$0.site.name] = $0.site.id }
        let dates = ["2015", "2019-06", "2021-03-15", "1367-05 SH"]
        let lastDays = ["2015-12-31", "2019-06-30", "2021-03-15", "1988-08-22"]
        for k in sites.indices {
            guard let id = ids[sites[k].name] else { throw FixtureError("\(sites[k].name) was not imported") }
            sites[k].id = id.uuidString
            guard k % 5 == 0 else { continue }
            try opened.insert(SiteEvent(site: id, type: .reported, date: try PartialDate(parsing: "2001")))
            try opened.insert(SiteEvent(site: id, type: .bulldozed, date: try PartialDate(parsing: dates[(k / 5) % 4])))
            sites[k].lastEvent = lastDays[(k / 5) % 4]
        }
        try opened.close()
        return ExportStoreFixture(directory: dir, store: store, sites: sites)
    }

}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

