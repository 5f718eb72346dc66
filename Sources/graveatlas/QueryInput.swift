import Foundation
import Geometry

/// Reads the files queries take: `--points` (CSV or GeoJSON points) and `--area` (GeoJSON
/// polygons, in any CRS a `crs` member declares). Errors are `InputError`s naming the file, the record and the reason.
enum QueryInput {
    static let longitudeNames = ["lon", "lng", "long", "longitude", "x"]
    static let latitudeNames = ["lat", "latitude", "y"]
    /// Columns that name a query point, in order of preference.
    static let labelNames = ["id", "label", "name"]

    /// Query points, in file order, each with its own id or label when the file gives one
    /// (a CSV `id`, `label` or `name` column; a GeoJSON feature's `id`, or its `label`,
    /// `name` or `id` property).
    static func points(file: String) throws -> [QueryPoint] {
        let text = try read(file)
        if text.drop(while: \.isWhitespace).first == "{" {
            let points = try QueryGeoJSON.labelledGeometries(file: file, text: text).flatMap { g -> [QueryPoint] in
                switch g.geometry {
                case let .point(p): return [QueryPoint(position: p.position, label: g.label)]
                case let .multiPoint(m): return m.points.map { QueryPoint(position: $0.position, label: g.label) }
                default: throw InputError("\(file): \(g.geometry.typeName) is not a point")
                }
            }
            try points.enumerated().forEach { try check($1.position, file: file, record: "feature \($0 + 1)") }
            return points
        }
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: \.isNewline).makeIterator()
        guard let headerLine = lines.next() else { throw InputError("\(file): empty file") }
        let header = csvFields(headerLine).map { $0.lowercased().trimmingCharacters(in: .whitespaces) }
        guard let lonIndex = header.firstIndex(where: longitudeNames.contains),
              let latIndex = header.firstIndex(where: latitudeNames.contains) else {
            throw InputError("\(file): the header names no longitude (\(longitudeNames.joined(separator: "/"))) and latitude (\(latitudeNames.joined(separator: "/"))) columns")
        }
        let labelIndex = labelNames.lazy.compactMap { header.firstIndex(of: $0) }.first
        var out: [QueryPoint] = []
        var line = 1
        while let row = lines.next() {
            line += 1
            let fields = csvFields(row)
            guard fields.count > max(lonIndex, latIndex),
                  let x = Double(fields[lonIndex].trimmingCharacters(in: .whitespaces)),
                  let y = Double(fields[latIndex].trimmingCharacters(in: .whitespaces)) else {
                throw InputError("\(file): line \(line): no numeric longitude and latitude")
            }
            let p = Position(x: x, y: y)
            try check(p, file: file, record: "line \(line)")
            let label = labelIndex.flatMap { $0 < fields.count ? fields[$0] : nil }
            out.append(QueryPoint(position: p, label: label.flatMap { $0.isEmpty ? nil : $0 }))
        }
        return out
    }

    /// The area in a GeoJSON file, as one polygon or multipolygon in EPSG:4326, read as
    /// written (RFC 7946: edges straight in longitude/latitude, nothing wraps across the
    /// antimeridian; an area across it is given as two polygons, one each side). Positions
    /// outside -180…180, -90…90 are refused, and so is a polygon that is not OGC-valid (a
    /// bowtie, a ring crossing itself: its lobes cancel out, so it has no inside to ask about).
    /// Polygons are checked one by one: two features of a file may overlap, their union is the area.
    static func area(file: String) throws -> Geometry {
        let text = try read(file)
        var polygons: [Polygon] = []
        for g in try geoJSON(file, text) {
            switch g {
            case let .polygon(p): polygons.append(p)
            case let .multiPolygon(m): polygons += m.polygons
            default: throw InputError("\(file): \(g.typeName) is not a polygon")
            }
        }
        guard !polygons.isEmpty else { throw InputError("\(file): no polygon found") }
        for (i, polygon) in polygons.enumerated() {
            try LongitudeLatitude.require(.polygon(polygon), label: "\(file): polygon \(i + 1)")
            try requireValid(polygon, file: file, label: "polygon \(i + 1)")
        }
        // As written (RFC 7946): a box from -170 to 170 is the wide box, the world polygon the
        // world; cut into hemispheres so that the store reads no part across the antimeridian.
        guard let area = try Geometry.queryArea(polygons) else { throw InputError("\(file): the area is empty") }
        return area
    }

    /// Refuses an invalid polygon, naming the file, the polygon and GEOS's reason and place.
    private static func requireValid(_ polygon: Polygon, file: String, label: String) throws {
        let validity: Validity
        do { validity = try Geometry.polygon(polygon).validity } catch { throw InputError("\(file): \(label)", error) }
        guard !validity.isValid else { return }
        var reason = validity.reason ?? "invalid"
        if let at = validity.location { reason += " at \(at.x) \(at.y)" }
        throw InputError("\(file): \(label) is not a valid polygon (\(reason)); `graveatlas geo validate` gives its repair")
    }

    private static func read(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file) else { throw InputError("\(file): cannot read the file") }
        return String(decoding: data, as: UTF8.self)
    }

    private static func geoJSON(_ file: String, _ text: String) throws -> [Geometry] {
        try QueryGeoJSON.geometries(file: file, text: text)
    }

    private static func check(_ p: Position, file: String, record: String) throws {
        guard (-180...180).contains(p.x), (-90...90).contains(p.y) else {
            throw InputError("\(file): \(record): (\(p.x), \(p.y)) is not a longitude/latitude")
        }
    }

    /// Fields of one CSV line (RFC 4180 quoting).
    static func csvFields(_ line: Substring) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote is a literal quote; a single one closes the field.
                    if let next = chars.next() {
                        if next == "\"" { current.append("\"") } else { quoted = false; if next == "," { fields.append(current); current = "" } else { current.append(next) } }
                    } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(current); current = "" } else { current.append(c) }
        }
        fields.append(current)
        return fields
    }
}

/// One point of a `--points` file: where to ask, and the file's own id or label for it.
struct QueryPoint: Hashable, Sendable {
    var position: Position
    var label: String?
}
