import CPROJ

/// Geodesic measures that need GEOS as well as the ellipsoid: distances between whole
/// geometries, buffers in metres, and areas of overlap.
extension Geodesic {
    /// Shortest geodesic distance in metres between two geometries; 0 when they intersect.
    ///
    /// When two geometries do not meet, the shortest connection ends at a vertex of one of
    /// them, so the minimum over every vertex of each to the other is exact.
    /// - Complexity: O(n·m) geodesic evaluations for n and m vertices.
    public func distance(between a: Geometry, and b: Geometry, geos: GEOSContext? = nil) throws -> Double {
        let engine = try geos ?? GEOSContext.current()
        if try engine.intersects(a, b) { return 0 }
        var best = Double.infinity
        a.forEachPosition { p in best = Swift.min(best, distance(from: p, to: b)) }
        b.forEachPosition { p in best = Swift.min(best, distance(from: p, to: a)) }
        return best
    }

    /// The area in m² where two geometries overlap.
    public func intersectionArea(_ a: Geometry, _ b: Geometry, geos: GEOSContext? = nil) throws -> Double {
        let engine = try geos ?? GEOSContext.current()
        return area(of: try engine.intersection(a, b))
    }

    /// The region within `metres` of a geometry on the ellipsoid.
    ///
    /// A point's buffer is built from geodesic directions, so every vertex lies exactly
    /// `metres` from it; other geometries are buffered in an azimuthal equidistant projection
    /// centred on them, whose distances from the centre are geodesic.
    /// - Parameter segments: vertices per full circle.
    public func buffer(_ geometry: Geometry, metres: Double, segments: Int = 128, geos: GEOSContext? = nil) throws -> Geometry {
        guard metres > 0, metres.isFinite else {
            throw GeometryError.geodesic(reason: "buffer distance must be a positive number of metres, not \(metres)")
        }
        if case let .point(p) = geometry {
            var ring: [Position] = []
            ring.reserveCapacity(segments + 1)
            for i in 0..<segments {
                // Clockwise azimuths from north give a counter-clockwise ring in lon/lat.
                ring.append(direct(from: p.position, azimuth: -360 * Double(i) / Double(segments), distance: metres))
            }
            ring.append(ring[0])
            return .polygon(Polygon(exterior: try LinearRing(ring)))
        }
        let engine = try geos ?? GEOSContext.current()
        guard case let .point(centre) = try engine.centroid(geometry) else {
            throw GeometryError.geodesic(reason: "cannot buffer an empty geometry")
        }
        let local = try CoordinateReferenceSystem(
            "+proj=aeqd +lat_0=\(centre.position.y) +lon_0=\(centre.position.x) +ellps=WGS84 +units=m +no_defs")
        let wgs84 = try CoordinateReferenceSystem("EPSG:4326")
        let context = ProjectionContext.current
        let forward = try context.transformer(from: wgs84, to: local)
        let back = try context.transformer(from: local, to: wgs84)
        let projected = try forward.transform(geometry)
        let buffered = try engine.buffer(projected, distance: metres, quadrantSegments: Int32(max(1, segments / 4)))
        return try back.transform(buffered)
    }
}
