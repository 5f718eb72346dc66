import Export
import Foundation
import Geometry
import Import
import Store
import TestSupport

/// A real store for the server's tests, made through the Store and Import APIs from a generated
/// GeoJSON file: public and restricted sites around Tehran (points and polygons), confidential
/// ones around Ahvaz (and, when asked, public and restricted ones around Madrid), names in
/// English and Persian, descriptions, and dated events on every fourth site. No protected site lies within 1 km of a cell centre, so a generalised position
/// never lands on a true one.
struct ServeFixture {
    struct Truth {
        var id: String
        var name: String
        var persianName: String
        var description: String
        var sensitivity: Sensitivity
        var geometry: Geometry
    }

    let folder: String
    let storePath: String
    let sites: [Truth]

    /// `west` adds as many sites again around Madrid (west of Greenwich: negative longitudes),
    /// half public, half restricted, after the others (whose positions stay as without them).
    static func make(_ label: String, publicCount: Int = 40, restricted: Int = 20, confidential: Int = 12,
                     west: Int = 0) throws -> ServeFixture {
        let folder = NSTemporaryDirectory() + "ga-serve-\(label)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 1367)
        var drafts: [(String, String, String, Sensitivity, Geometry, Int)] = []
        func add(_ n: Int, _ s: Sensitivity, _ region: BoundingBox, prefix: String = "") throws {
            var made = 0
            while made < n {
                let p = Position(x: Double.random(in: region.minX...region.maxX, using: &rng),
                                 y: Double.random(in: region.minY...region.maxY, using: &rng))
                let cx = ((p.x / 0.1).rounded(.down) + 0.5) * 0.1, cy = ((p.y / 0.1).rounded(.down) + 0.5) * 0.1
                if s != .public, FixtureShapes.metres(p, Position(x: cx, y: cy)) < 1_000 { continue }
                let geometry = made % 3 == 2 ? try FixtureShapes.polygon(around: p, rng: &rng) : .point(try Point(p))
                let tag = "\(prefix)\(s.rawValue.uppercased())-\(made)"
                drafts.append(("NAME-\(tag)", "نام-\(tag)", "DESCRIPTION-\(tag)", s, geometry, made))
                made += 1
            }
        }
        let tehran = BoundingBox(minX: 51.0, minY: 35.4, maxX: 51.8, maxY: 36.0)
        try add(publicCount, .public, tehran)
        try add(restricted, .restricted, tehran)
        try add(confidential, .confidential, BoundingBox(minX: 48.5, minY: 31.2, maxX: 48.9, maxY: 31.5))
        let madrid = BoundingBox(minX: -3.9, minY: 40.3, maxX: -3.5, maxY: 40.6)
        try add(west - west / 2, .public, madrid, prefix: "WEST-")
        try add(west / 2, .restricted, madrid, prefix: "WEST-")

        var features: [String] = []
        for (k, d) in drafts.enumerated() {
            let properties: [String: Any] = [
                "key": k, "name": d.0, "name_fa": d.1, "description": d.2, "sensitivity": d.3.rawValue,
                "site_type": ["mass_grave", "execution_site", "cemetery"][d.5 % 3], "status": "reported",
                "condition": ["destroyed", "built_over", "intact", "damaged"][d.5 % 4], "location_precision": "exact",
            ]
            let props = String(decoding: try JSONSerialization.data(withJSONObject: properties, options: [.sortedKeys]), as: UTF8.self)
            features.append(#"{"type":"Feature","properties":\#(props),"geometry":\#(d.4.geoJSON())}"#)
        }
        let input = folder + "/sites.geojson"
        try Data((#"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}\n").utf8)
            .write(to: URL(fileURLWithPath: input))
        let mapping = folder + "/mapping.yaml"
        try Data("key: key\nnames: {fa: name_fa}\n".utf8).write(to: URL(fileURLWithPath: mapping))

        let storePath = folder + "/atlas.gpkg"
        let store = try SiteStore.create(at: storePath)
        try store.setGrid(GeneralisationGrid())
        _ = try store.orderSalt()
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(URL(fileURLWithPath: mapping))
        _ = try StoreImport(store: store, options: options).run(files: [URL(fileURLWithPath: input)])
        var ids: [String: UUID] = [:]
        try store.forEachSite { ids[$0.site.name] = $0.site.id }
        var sites: [Truth] = []
        for (k, d) in drafts.enumerated() {
            guard let id = ids[d.0] else { throw FixtureError("\(d.0) was not imported") }
            sites.append(Truth(id: id.uuidString, name: d.0, persianName: d.1, description: d.2, sensitivity: d.3, geometry: d.4))
            guard k % 4 == 0 else { continue }
            try store.insert(SiteEvent(site: id, type: .bulldozed, date: try PartialDate(parsing: ["2015", "2019-06", "2021-03-15"][k % 3]),
                                       description: "EVENT-\(d.0)"))
        }
        try store.close()
        return ServeFixture(folder: folder, storePath: storePath, sites: sites)
    }

    func remove() { try? FileManager.default.removeItem(atPath: folder) }

    /// What `graveatlas export geojson --audience A` writes for this store, parsed: the
    /// oracle the server's answers are compared with (ExportRun's steps, through Export's API).
    func export(_ audience: Audience) throws -> JSONValue {
        let output = folder + "/export-\(audience.rawValue)-\(UUID().uuidString).geojson"
        try runExport(.geojson, to: output, audience: audience)
        return try JSONValue(parsing: String(contentsOfFile: output, encoding: .utf8))
    }

    /// Runs an export of the store for the audience as `ExportRun.layer` does.
    private func runExport(_ format: LayerExport.Format, to output: String, audience: Audience) throws {
        let store = try SiteStore(path: storePath, access: .readOnly)
        defer { try? store.close() }
        var job = LayerExport(format: format, output: output, policy: SafeguardingPolicy(audience: audience))
        job.policy = try SafeguardingPolicy(audience: audience, storeGrid: try store.grid(), cellSize: nil)
        let view = job.policy.view
        let columns = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
        _ = try job.run(columns: columns, store: try store.identity()) { emit in
            try store.forEachPublishedSite(view: view) { try emit(SiteRow($0, view: view)) }
        }
    }

    /// `graveatlas export tiles --audience A` into a folder, as the command runs it: every
    /// tile's path (`z/x/y`) and raw MVT bytes.
    func exportTiles(_ audience: Audience) throws -> [String: [UInt8]] {
        let output = folder + "/tiles-\(audience.rawValue)-\(UUID().uuidString)"
        try runExport(.tiles, to: output, audience: audience)
        var tiles: [String: [UInt8]] = [:]
        let files = FileManager.default
        for path in files.subpaths(atPath: output) ?? [] where path.hasSuffix(".mvt") {
            guard let data = files.contents(atPath: output + "/" + path) else { throw FixtureError("cannot read \(path)") }
            var bytes = [UInt8](data)
            if bytes.starts(with: [0x1f, 0x8b]) { bytes = try Gzip.decompress(bytes) }
            tiles[String(path.dropLast(4))] = bytes
        }
        return tiles
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
