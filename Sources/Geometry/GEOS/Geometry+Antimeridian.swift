/// Geometries drawn across the antimeridian, for planar work in longitude/latitude.
extension Geometry {
    /// The geometry as parts that each stay on one side of the antimeridian, for GEOS
    /// predicates and overlays in longitude/latitude: `[self]` for a geometry whose longitudes
    /// span 180° or less, else (drawn across it: a ring from 179.9° to −179.9° means the short
    /// way, as the store's proximity queries read it) the part west of 180° and the part east
    /// of −180°.
    ///
    /// ```swift
    /// // a square from 179.99°E across to 179.99°W
    /// try square.splitAtAntimeridian()   // [179.99…180, −180…−179.99]
    /// ```
    /// Parts of a polygonal geometry are polygonal (the cut adds edges along the meridian, no
    /// slivers); the parts of one geometry are disjoint, so areas and overlaps add up.
    /// - Throws: `GeometryError` if GEOS fails.
    public func splitAtAntimeridian() throws -> [Geometry] {
        guard let box = boundingBox, box.width > 180 else { return [self] }
        // Western longitudes carried past 180°, so that the geometry is whole in 0…360.
        let carried = try mappingPositions { $0.x < 0 ? Position(x: $0.x + 360, y: $0.y) : $0 }
        let context = try GEOSContext.current()
        let upTo180 = try context.clip(carried, to: BoundingBox(minX: -1, minY: -91, maxX: 180, maxY: 91))
        let beyond180 = try context.clip(carried, to: BoundingBox(minX: 180, minY: -91, maxX: 361, maxY: 91))
            .mappingPositions { Position(x: $0.x - 360, y: $0.y) }
        let polygonal = isPolygonal
        return [upTo180, beyond180]
            .map { part in
                guard polygonal else { return part }
                let polygons = part.polygonParts
                return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(MultiPolygon(polygons))
            }
            .filter { !$0.isEmpty }
    }

    /// Whether this is a polygon or multipolygon.
    public var isPolygonal: Bool {
        switch self {
        case .polygon, .multiPolygon: true
        default: false
        }
    }
}
