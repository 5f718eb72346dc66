import Foundation
import Geometry

/// GeoJSON documents for queries: the geometries of a FeatureCollection, Feature or bare
/// geometry, carried to EPSG:4326 from the CRS a legacy `crs` member declares.
enum QueryGeoJSON {
    /// Every geometry in the document, in longitude/latitude.
    /// - Throws: `InputError` naming the file and what is wrong.
    static func geometries(file: String, text: String) throws -> [Geometry] {
        try labelledGeometries(file: file, text: text).map(\.geometry)
    }

    /// Every geometry with its feature's label: the feature's `id`, else its `label`, `name`
    /// or `id` property (nil for a bare geometry or a feature without one).
    static func labelledGeometries(file: String, text: String) throws -> [(geometry: Geometry, label: String?)] {
        do {
            let value = try JSONValue(parsing: text)
            let found = try geometries(value)
            guard let crs = declaredCRS(value) else { return found }
            let source = try CoordinateReferenceSystem(crs)
            let target = try CoordinateReferenceSystem.epsg(4326)
            return try found.map { (try $0.geometry.transformed(from: source, to: target), $0.label) }
        } catch let error as GeometryError {
            throw InputError(file, error)
        }
    }

    private static func geometries(_ value: JSONValue) throws -> [(geometry: Geometry, label: String?)] {
        switch value["type"]?.stringValue {
        case "FeatureCollection":
            return try (value["features"]?.arrayValue ?? []).flatMap(geometries)
        case "Feature":
            guard let g = value["geometry"], g != .null else { return [] }
            return [(try Geometry(geoJSON: g), label(of: value))]
        default:
            return [(try Geometry(geoJSON: value), nil)]
        }
    }

    /// A feature's own `id`, else its `label`, `name` or `id` property, as text.
    private static func label(of feature: JSONValue) -> String? {
        func text(_ v: JSONValue?) -> String? {
            switch v {
            case let .string(s)?: s
            case let .number(n)?: n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
            default: nil
            }
        }
        return text(feature["id"]) ?? text(feature["properties"]?["label"])
            ?? text(feature["properties"]?["name"]) ?? text(feature["properties"]?["id"])
    }

    /// The CRS named by a legacy `crs` member, unless it is WGS84 longitude/latitude.
    private static func declaredCRS(_ value: JSONValue) -> String? {
        guard let name = value["crs"]?["properties"]?["name"]?.stringValue else { return nil }
        let wgs84 = ["urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "CRS84", "EPSG:4326", "urn:ogc:def:crs:EPSG::4326"]
        return wgs84.contains(name) ? nil : name
    }
}
