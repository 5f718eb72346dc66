extension Polygon {
    /// The same polygon with its exterior counter-clockwise and its holes clockwise.
    public var orientedForGeoJSON: Polygon {
        guard !rings.isEmpty else { return self }
        var out = rings
        for k in out.indices {
            let area = out[k].signedArea2
            if area != 0 && (area > 0) != (k == 0) { out[k] = out[k].reversed }
        }
        return Polygon(validatedRings: out)
    }
}

extension Geometry {
    /// The same geometry with every polygon following RFC 7946's right-hand rule: exterior
    /// rings counter-clockwise, holes clockwise.
    ///
    /// ```swift
    /// let text = site.orientedForGeoJSON().geoJSON(precision: 6)
    /// ```
    /// Rings with zero signed area (degenerate) are left as they are, as are geometries without
    /// polygons. Applying it twice changes nothing more.
    ///
    /// - Complexity: O(n).
    public func orientedForGeoJSON() -> Geometry {
        switch self {
        case .point, .lineString, .multiPoint, .multiLineString: self
        case let .polygon(p): .polygon(p.orientedForGeoJSON)
        case let .multiPolygon(m): .multiPolygon(MultiPolygon(m.polygons.map(\.orientedForGeoJSON)))
        case let .geometryCollection(c): .geometryCollection(GeometryCollection(c.geometries.map { $0.orientedForGeoJSON() }))
        }
    }
}
