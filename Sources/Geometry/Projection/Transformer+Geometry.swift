extension Transformer {
    /// The geometry with every position transformed; structure and order are kept.
    ///
    /// ```swift
    /// let inUTM = try toUTM.transform(siteOutline)   // Geometry.polygon in metres
    /// ```
    /// - Throws: `GeometryError.transformFailed` naming the first position that fails.
    /// - Complexity: O(n) in the number of positions; one PROJ call per position array.
    public func transform(_ geometry: Geometry) throws -> Geometry {
        switch geometry {
        case let .point(point):
            return .point(try Point(transform(point.position)))
        case let .lineString(line):
            return .lineString(try transform(line))
        case let .polygon(polygon):
            return .polygon(try transform(polygon))
        case let .multiPoint(multi):
            return .multiPoint(try MultiPoint(positions: transformed(multi.points.map(\.position))))
        case let .multiLineString(multi):
            return .multiLineString(MultiLineString(try multi.lineStrings.map(transform)))
        case let .multiPolygon(multi):
            return .multiPolygon(MultiPolygon(try multi.polygons.map(transform)))
        case let .geometryCollection(collection):
            return .geometryCollection(GeometryCollection(try collection.geometries.map(transform)))
        }
    }

    func transform(_ line: LineString) throws -> LineString {
        try LineString(transformed(line.positions))
    }

    func transform(_ polygon: Polygon) throws -> Polygon {
        // A ring's closing position equals its first, and PROJ maps equal inputs to equal
        // outputs, so transformed rings stay closed.
        guard !polygon.isEmpty else { return .empty }
        let rings = try polygon.rings.map { try LinearRing(transformed($0.positions)) }
        return Polygon(exterior: rings[0], holes: Array(rings.dropFirst()))
    }

    func transformed(_ positions: [Position]) throws -> [Position] {
        var copy = positions
        try transform(&copy)
        return copy
    }
}
