import Foundation
import Store
import Testing
@testable import Import

/// Fixtures and checks for re-import identity: GeoJSON layers with and without a key, and the
/// meaning of every site id in a store.
enum IdentityFixtures {
    /// A GeoJSON FeatureCollection of points, one per `(properties, lon, lat)`.
    static func geoJSON(_ features: [(properties: String, lon: Double, lat: Double)]) -> String {
        let lines = features.map {
            #"{"type":"Feature","properties":{\#($0.properties)},"geometry":{"type":"Point","coordinates":[\#($0.lon),\#($0.lat)]}}"#
        }
        return #"{"type":"FeatureCollection","features":["# + "\n" + lines.joined(separator: ",\n") + "\n]}\n"
    }

    /// Keyless sites named by their NATO letter.
    static func sites(_ names: [String]) -> String {
        let places: [String: (Double, Double)] = [
            "Alpha": (51.47, 35.63), "Bravo": (51.50, 35.61), "Charlie": (48.67, 31.32), "Xray": (46.29, 38.08),
        ]
        return geoJSON(names.map { name in
            let (lon, lat) = places[name] ?? (0, 0)
            return (#""name":"\#(name)""#, lon, lat)
        })
    }

    /// Spanish graves keyed by `FOSA_ID`.
    static let spainRecords: [(id: String, name: String, lon: Double, lat: Double)] = [
        ("242", "Fosa de Paterna", -0.4437, 39.5028),
        ("243", "Cañada de los Mártires, Víznar", -3.5503, 37.2331),
        ("244", "Fosa La Generala", -2.8167, 41.7000),
        ("271", "Fosa de Calatañazor", -2.8170, 41.7010),
        ("272", "Fosa de Uclés", -2.8622, 39.9790),
    ]

    /// The Spanish graves as GeoJSON, `FOSA_ID` an integer (null, empty in a shapefile, when the id is "").
    static func spain(_ records: [(id: String, name: String, lon: Double, lat: Double)] = spainRecords) -> String {
        geoJSON(records.map { r in
            let id = r.id.isEmpty ? "null" : r.id
            return (#""FOSA_ID":\#(id),"NOMBRE":"\#(r.name)""#, r.lon, r.lat)
        })
    }

    static let spainMapping = """
    dataset: spain
    key: FOSA_ID
    fields: {name: NOMBRE}
    """

    /// What every site id means: its name, dataset and key.
    static func meanings(_ store: SiteStore) throws -> [UUID: String] {
        var out: [UUID: String] = [:]
        try store.forEachSite { listed in
            let s = listed.site
            out[s.id] = "\(s.name) [\(s.dataset ?? "-")/\(s.sourceKey ?? "-")]"
        }
        return out
    }

    /// Every id of `before` still names the same site (name and key) in `after`.
    static func expectNoIdChangedMeaning(_ before: [UUID: String], _ after: [UUID: String],
                                         sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!before.isEmpty, "no sites to compare", sourceLocation: sourceLocation)
        for (id, meaning) in before {
            #expect(after[id] == meaning, "site \(id) was \(meaning), is now \(after[id] ?? "gone")", sourceLocation: sourceLocation)
        }
    }

    /// The site names of a store by id, as GDAL reads them, with the origin columns.
    static func ogrSites(_ folder: FixtureFolder) throws -> [[String: Any]] {
        try folder.ogrFeatures("atlas.gpkg", options: ["-sql", "SELECT uuid, name, source_key, source_file, source_layer, missing_from_source FROM sites"])
            .map { $0["properties"] as? [String: Any] ?? [:] }
    }
}
