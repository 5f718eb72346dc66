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

    /// The geometry as tiles draw it: one drawn across the antimeridian (its longitudes spanning
    /// more than 180°, read the short way, as the store's queries read it) as its parts either
    /// side of the line, west of 180° first, each within −180…180, so that a plot from 179.95°E
    /// to 179.95°W is drawn where it lies, not as a band round the world; a point, or any other
    /// geometry, whole.
    var tileParts: [Geometry] {
        switch self {
        case .point: return [self]
        default: break
        }
        guard let box = boundingBox, box.width > 180, let parts = try? splitAtAntimeridian(), parts.count > 1 else {
            return [self]
        }
        return parts
    }
}

