import CGEOS

/// A geometry indexed by GEOS for many predicate tests against it (point-in-polygon over
/// thousands of points, the polygons of a query area against every candidate site).
///
/// ```swift
/// let zone = try geos.prepare(constructionZone)
/// let hits = sites.filter { try zone.intersects($0.geometry) }
/// ```
/// Belongs to the context that made it: same thread rules.
/// - Complexity: preparing is O(n log n); each point test is then O(log n) in the ring sizes.
public final class PreparedGeometry {
    let context: GEOSContext
    let base: GEOSObject
    let prepared: OpaquePointer
    /// The geometry that was prepared.
    public let geometry: Geometry
    /// Its bounding box, to reject far candidates before asking GEOS.
    public let boundingBox: BoundingBox?

    init(_ geometry: Geometry, context: GEOSContext) throws {
        self.context = context
        self.geometry = geometry
        self.boundingBox = geometry.boundingBox
        base = try context.make(geometry)
        guard let prepared = GEOSPrepare_r(context.handle, base.pointer) else { throw context.failure("prepare") }
        self.prepared = prepared
    }

    deinit { GEOSPreparedGeom_destroy_r(context.handle, prepared) }

    /// Whether the prepared geometry stands in `predicate` to `other`.
    public func relate(_ predicate: SpatialPredicate, _ other: Geometry) throws -> Bool {
        let g = try context.make(other)
        return try relate(predicate, g)
    }

    func relate(_ predicate: SpatialPredicate, _ g: GEOSObject) throws -> Bool {
        // GEOS has no prepared `equals`: it is asked of the geometry this one was made from.
        let result = if let relation = predicate.geos.prepared {
            relation(context.handle, prepared, g.pointer)
        } else {
            predicate.geos.plain(context.handle, base.pointer, g.pointer)
        }
        return try context.predicate(result, predicate.rawValue)
    }

    public func intersects(_ other: Geometry) throws -> Bool { try relate(.intersects, other) }
    public func contains(_ other: Geometry) throws -> Bool { try relate(.contains, other) }
    public func covers(_ other: Geometry) throws -> Bool { try relate(.covers, other) }

    /// Whether the position lies inside or on the boundary (covers), with a bounding-box
    /// rejection first. The hot path of point-in-polygon joins.
    public func covers(_ position: Position) throws -> Bool {
        if let box = boundingBox, !box.contains(position) { return false }
        guard let point = GEOSGeom_createPointFromXY_r(context.handle, position.x, position.y) else {
            throw context.failure("point")
        }
        defer { GEOSGeom_destroy_r(context.handle, point) }
        return try context.predicate(GEOSPreparedCovers_r(context.handle, prepared, point), "covers")
    }
}

extension GEOSContext {
    /// Prepares `geometry` for repeated predicates.
    public func prepare(_ geometry: Geometry) throws -> PreparedGeometry {
        try PreparedGeometry(geometry, context: self)
    }
}
