import Foundation
import Geometry

/// Builds a `Geometry` from the GeoJSON that `ogr2ogr` writes, parsed by Foundation's
/// `JSONSerialization` (independent of the project's own JSON and GeoJSON readers).
enum OracleGeometry {
    struct Unsupported: Error { let type: String }

    static func from(_ json: Any?) throws -> Geometry? {
        guard let object = json as? [String: Any], let type = object["type"] as? String else { return nil }
        let coordinates = object["coordinates"]
        switch type {
        case "Point": return .point(try Point(position(coordinates)))
        case "LineString": return .lineString(try LineString(positions(coordinates)))
        case "Polygon": return .polygon(try polygon(coordinates))
        case "MultiPoint": return .multiPoint(try MultiPoint(positions: positions(coordinates)))
        case "MultiPolygon":
            return .multiPolygon(MultiPolygon(try ((coordinates as? [Any]) ?? []).map(polygon)))
        default: throw Unsupported(type: type)
        }
    }

    static func position(_ json: Any?) -> Position {
        let numbers = (json as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue } ?? []
        return Position(x: numbers.first ?? .nan, y: numbers.dropFirst().first ?? .nan)
    }

    static func positions(_ json: Any?) -> [Position] { ((json as? [Any]) ?? []).map(position) }

    static func polygon(_ json: Any?) throws -> Polygon {
        try Polygon(rings: ((json as? [Any]) ?? []).map(positions))
    }
}
