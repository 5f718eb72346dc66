extension Geometry {
    /// The same geometry with every position passed through `transform` (which must keep
    /// positions finite; ring closure is kept because equal inputs give equal outputs).
    ///
    /// - Complexity: O(n) in the number of positions.
    public func mappingPositions(_ transform: (Position) -> Position) throws -> Geometry {
        func ring(_ r: LinearRing) throws -> LinearRing { try LinearRing(r.positions.map(transform)) }
        func polygon(_ p: Polygon) throws -> Polygon {
            guard let exterior = p.exterior else { return .empty }
            return Polygon(exterior: try ring(exterior), holes: try p.holes.map(ring))
        }
        switch self {
        case let .point(p): return .point(try Point(transform(p.position)))
        case let .lineString(l): return .lineString(try LineString(l.positions.map(transform)))
        case let .polygon(p): return .polygon(try polygon(p))
        case let .multiPoint(m): return .multiPoint(try MultiPoint(positions: m.points.map { transform($0.position) }))
        case let .multiLineString(m):
            return .multiLineString(MultiLineString(try m.lineStrings.map { try LineString($0.positions.map(transform)) }))
        case let .multiPolygon(m): return .multiPolygon(MultiPolygon(try m.polygons.map(polygon)))
        case let .geometryCollection(c):
            return .geometryCollection(GeometryCollection(try c.geometries.map { try $0.mappingPositions(transform) }))
        }
    }

    /// The polygons inside this geometry (itself, the members of a multipolygon or collection).
    public var polygonParts: [Polygon] {
        switch self {
        case let .polygon(p): p.isEmpty ? [] : [p]
        case let .multiPolygon(m): m.polygons.filter { !$0.isEmpty }
        case let .geometryCollection(c): c.geometries.flatMap(\.polygonParts)
        default: []
        }
    }
}
