extension Geodesic {
    /// The geodesic distance in metres from a position to the nearest point of a geometry.
    ///
    /// ```swift
    /// let d = Geodesic.wgs84.distance(from: witness, to: .polygon(siteOutline))   // 0 inside
    /// ```
    /// - Lines and ring edges are geodesics; the nearest point on each is found exactly
    ///   (to well under a millimetre), not just among the vertices.
    /// - 0 when the position is inside a polygon (holes are outside) or on a line.
    /// - Multi geometries and collections: the smallest distance to any part.
    /// - An empty geometry is infinitely far.
    /// - An edge joins its ends the short way round, so an edge from 179.9° to -179.9°
    ///   is 0.2° long, across the antimeridian.
    /// - Polygons must not enclose a pole (see `contains`); distances near the poles are
    ///   exact, as everywhere.
    /// - Complexity: O(n) inverse problems for n positions, plus a few iterations for each
    ///   edge that could be nearer than the nearest vertex.
    public func distance(from position: Position, to geometry: Geometry) -> Double {
        switch geometry {
        case let .point(point):
            return distance(position, point.position)
        case let .multiPoint(multi):
            return multi.points.reduce(.infinity) { min($0, distance(position, $1.position)) }
        case let .lineString(line):
            return distance(from: position, toPath: line.positions)
        case let .multiLineString(multi):
            return multi.lineStrings.reduce(.infinity) { min($0, distance(from: position, toPath: $1.positions)) }
        case let .polygon(polygon):
            return distance(from: position, to: polygon)
        case let .multiPolygon(multi):
            return multi.polygons.reduce(.infinity) { min($0, distance(from: position, to: $1)) }
        case let .geometryCollection(collection):
            return collection.geometries.reduce(.infinity) { min($0, distance(from: position, to: $1)) }
        }
    }

    /// 0 inside the polygon, else the distance to the nearest ring.
    func distance(from position: Position, to polygon: Polygon) -> Double {
        if polygon.isEmpty { return .infinity }
        if contains(polygon, position) { return 0 }
        return polygon.rings.reduce(.infinity) { min($0, distance(from: position, toPath: $1.positions)) }
    }

    /// The distance from a position to a path of geodesic segments through `positions`.
    func distance(from position: Position, toPath positions: [Position]) -> Double {
        guard let first = positions.first else { return .infinity }
        var toPrevious = inverse(first, position)
        var best = toPrevious.distance
        for index in positions.indices.dropFirst() {
            let a = positions[index - 1], b = positions[index]
            let toNext = inverse(b, position)
            best = min(best, toNext.distance)
            if best == 0 { return 0 }
            let edge = inverse(a, b)
            // Triangle inequality: no point of the edge is nearer than this.
            let lowerBound = (toPrevious.distance + toNext.distance - edge.distance) / 2
            if lowerBound < best {
                best = min(best, interiorDistance(from: position, a: a, b: b, edge: edge,
                                                  fromA: toPrevious, fromB: toNext))
            }
            toPrevious = toNext
        }
        return best
    }

    /// The distance from a position to a geodesic segment, ends included.
    ///
    /// ```swift
    /// Geodesic.wgs84.distance(from: p, toSegmentFrom: a, to: b)   // ≤ distance to a or b
    /// ```
    public func distance(from position: Position, toSegmentFrom a: Position, to b: Position) -> Double {
        distance(from: position, toPath: [a, b])
    }
}
