import Geometry

/// The parts of a geometry by dimension, for the tiler (`mappingPositions` and `polygonParts`
/// are the Geometry module's).
extension Geometry {
    /// The line strings inside this geometry.
    var lineParts: [LineString] {
        switch self {
        case let .lineString(l): l.isEmpty ? [] : [l]
        case let .multiLineString(m): m.lineStrings.filter { !$0.isEmpty }
        case let .geometryCollection(c): c.geometries.flatMap(\.lineParts)
        default: []
        }
    }

    /// The point positions inside this geometry.
    var pointParts: [Position] {
        switch self {
        case let .point(p): [p.position]
        case let .multiPoint(m): m.points.map(\.position)
        case let .geometryCollection(c): c.geometries.flatMap(\.pointParts)
        default: []
        }
    }
}
