/// How a query area's polygons are read in longitude/latitude: as written (RFC 7946, for an
/// area a user draws) or each on its own across the antimeridian (the store's reading).
extension Geometry {
    /// A query area's polygons as one geometry the store reads as written (RFC 7946): each cut
    /// into hemispheres (`splitIntoHemispheres`), every part in one polygon or multipolygon;
    /// nil when no part is left. What `graveatlas query within --area` and the server's
    /// `/query/within` both ask the store about.
    ///
    /// ```swift
    /// try Geometry.queryArea([box])          // .polygon(box) for a box at most 180° wide
    /// try Geometry.queryArea([wideBox])      // .multiPolygon: its western and eastern halves
    /// ```
    /// Positions must already lie in −180…180, −90…90.
    /// - Throws: `GeometryError` if GEOS fails.
    public static func queryArea(_ polygons: [Polygon]) throws -> Geometry? {
        let parts = try polygons.flatMap { try Geometry.polygon($0).splitIntoHemispheres() }.flatMap(\.polygonParts)
        guard !parts.isEmpty else { return nil }
        return parts.count == 1 ? .polygon(parts[0]) : .multiPolygon(MultiPolygon(parts))
    }

    /// The area as written in longitude/latitude (RFC 7946: edges straight in lon/lat, nothing
    /// wraps), cut into parts at most 180° wide — the western and eastern hemispheres — so that
    /// `splitEachAtAntimeridian()` keeps every part as it is.
    ///
    /// ```swift
    /// // the box from −170 to 170: the wide box, not the 20° sliver across the antimeridian
    /// try box.splitIntoHemispheres()     // [−170…0, 0…170]
    /// try world.splitIntoHemispheres()   // [−180…0, 0…180], poles included
    /// ```
    /// A geometry at most 180° wide is `[self]`. Positions must already lie in −180…180,
    /// −90…90. The parts of a polygonal geometry are polygonal and meet only along the
    /// meridian 0°, so what lies inside one of them lies inside the area.
    /// - Throws: `GeometryError` if GEOS fails.
    public func splitIntoHemispheres() throws -> [Geometry] {
        guard let box = boundingBox, box.width > 180 else { return [self] }
        let context = try GEOSContext.current()
        let polygonal = isPolygonal
        return try [BoundingBox(minX: -181, minY: -91, maxX: 0, maxY: 91), BoundingBox(minX: 0, minY: -91, maxX: 181, maxY: 91)]
            .map { half in
                let part = try context.clip(self, to: half)
                guard polygonal else { return part }
                let polygons = part.polygonParts
                return polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(MultiPolygon(polygons))
            }
            .filter { !$0.isEmpty }
    }

    /// Each polygon of a polygonal area split at the antimeridian on its own
    /// (`splitAtAntimeridian`), so that a multipolygon whose parts lie in both hemispheres is
    /// not taken, as a whole, for one geometry drawn across the antimeridian. Any other
    /// geometry is split whole.
    ///
    /// ```swift
    /// try MultiPolygon([west, east]).splitEachAtAntimeridian()   // [west, east]
    /// ```
    /// - Throws: `GeometryError` if GEOS fails.
    public func splitEachAtAntimeridian() throws -> [Geometry] {
        guard isPolygonal else { return try splitAtAntimeridian() }
        return try polygonParts.flatMap { try Geometry.polygon($0).splitAtAntimeridian() }
    }
}
