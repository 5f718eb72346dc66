import Foundation

/// Where a table keeps its locations: a longitude and a latitude column, or a WKT column,
/// recognised by their usual names in several languages.
///
/// ```swift
/// CoordinateColumns.find(in: ["Nombre", "Longitud", "Latitud"])   // .lonLat(x: 1, y: 2)
/// CoordinateColumns.find(in: ["نام", "طول", "عرض"])                 // .lonLat(x: 1, y: 2)
/// CoordinateColumns.find(in: ["id", "WKT"])                        // .wkt(1)
/// ```
/// Matching ignores case, surrounding spaces, and the unit suffixes `_dd`, `_deg`, `(deg)`.
/// Longitude/latitude pairs win over a WKT column when a table has both.
enum CoordinateColumns: Equatable {
    case lonLat(x: Int, y: Int)
    case wkt(Int)

    static let longitudeNames: Set<String> = [
        "lon", "lng", "long", "longitude", "x", "longitud", "longitudine", "länge", "laenge", "lengte",
        "coord_x", "xcoord", "x_coord", "point_x", "easting", "este", "طول", "طول جغرافیایی", "طول جغرافيايي",
        "خط طول", "долгота", "经度",
    ]
    static let latitudeNames: Set<String> = [
        "lat", "latitude", "y", "latitud", "latitudine", "breite", "breedte",
        "coord_y", "ycoord", "y_coord", "point_y", "northing", "norte", "عرض", "عرض جغرافیایی", "عرض جغرافيايي",
        "خط عرض", "широта", "纬度",
    ]
    static let wktNames: Set<String> = ["wkt", "geometry", "geom", "the_geom", "wkt_geom", "geometria", "geometría", "shape"]

    static func find(in headers: [String]) -> CoordinateColumns? {
        let keys = headers.map(key)
        if let x = keys.firstIndex(where: longitudeNames.contains), let y = keys.firstIndex(where: latitudeNames.contains) {
            return .lonLat(x: x, y: y)
        }
        if let w = keys.firstIndex(where: wktNames.contains) { return .wkt(w) }
        return nil
    }

    static func key(_ header: String) -> String {
        var text = header.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            .lowercased()
        for suffix in ["_dd", "_deg", "(deg)", " (deg)", "_wgs84", " wgs84"] where text.hasSuffix(suffix) {
            text = String(text.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
        }
        return text
    }
}
