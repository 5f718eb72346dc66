import Foundation
import Geometry

// Stand-in for the Geometry module's GeoJSON codec (`geometry.geoJSON(precision:)`,
// `Geometry(geoJSON:)`), which is being written elsewhere; the query commands switch to it
// when it lands. Reads and writes plain JSON objects through Foundation.
enum GeoJSONGeometry {
    /// A GeoJSON geometry object.
    static func object(_ g: Geometry) -> [String: Any] {
        func pair(_ p: Position) -> [Double] { [p.x, p.y] }
        func rings(_ p: Polygon) -> [[[Double]]] { p.rings.map { $0.positions.map(pair) } }
        switch g {
        case let .point(p): return ["type": "Point", "coordinates": pair(p.position)]
        case let .lineString(l): return ["type": "LineString", "coordinates": l.positions.map(pair)]
        case let .polygon(p): return ["type": "Polygon", "coordinates": rings(p)]
        case let .multiPoint(m): return ["type": "MultiPoint", "coordinates": m.points.map { pair($0.position) }]
        case let .multiLineString(m): return ["type": "MultiLineString", "coordinates": m.lineStrings.map { $0.positions.map(pair) }]
        case let .multiPolygon(m): return ["type": "MultiPolygon", "coordinates": m.polygons.map(rings)]
        case let .geometryCollection(c): return ["type": "GeometryCollection", "geometries": c.geometries.map(object)]
        }
    }

    /// Every geometry in a GeoJSON document (FeatureCollection, Feature or bare geometry).
    static func geometries(_ json: Any) throws -> [Geometry] {
        guard let object = json as? [String: Any], let type = object["type"] as? String else {
            throw GeometryError.invalidGeoJSON(path: "", reason: "not a GeoJSON object")
        }
        switch type {
        case "FeatureCollection":
            return try (object["features"] as? [Any] ?? []).flatMap(geometries)
        case "Feature":
            guard let g = object["geometry"], !(g is NSNull) else { return [] }
            return try geometries(g)
        default:
            return [try geometry(object)]
        }
    }

    private static func geometry(_ object: [String: Any]) throws -> Geometry {
        let type = object["type"] as? String ?? ""
        let coordinates = object["coordinates"]
        func position(_ v: Any?) throws -> Position {
            guard let a = v as? [Any], a.count >= 2, let x = (a[0] as? NSNumber)?.doubleValue,
                  let y = (a[1] as? NSNumber)?.doubleValue else {
                throw GeometryError.invalidGeoJSON(path: "coordinates", reason: "expected [x, y]")
            }
            return Position(x: x, y: y)
        }
        func positions(_ v: Any?) throws -> [Position] { try (v as? [Any] ?? []).map(position) }
        func polygon(_ v: Any?) throws -> Polygon { try Polygon(rings: (v as? [Any] ?? []).map(positions)) }
        switch type {
        case "Point": return .point(try Point(try position(coordinates)))
        case "MultiPoint": return .multiPoint(try MultiPoint(positions: try positions(coordinates)))
        case "LineString": return .lineString(try LineString(try positions(coordinates)))
        case "Polygon": return .polygon(try polygon(coordinates))
        case "MultiPolygon": return .multiPolygon(MultiPolygon(try (coordinates as? [Any] ?? []).map(polygon)))
        case "GeometryCollection":
            return .geometryCollection(GeometryCollection(try (object["geometries"] as? [Any] ?? []).flatMap(geometries)))
        default: throw GeometryError.invalidGeoJSON(path: "type", reason: "unsupported geometry type '\(type)'")
        }
    }
}
