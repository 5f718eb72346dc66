import CGEOS

/// The spatial relationships GEOS answers, as DE-9IM named predicates.
public enum SpatialPredicate: String, CaseIterable, Sendable {
    case intersects, disjoint, contains, within, overlaps, touches, covers, coveredBy, crosses, equals
}

extension GEOSContext {
    /// Whether `a` stands in `predicate` to `b` (e.g. `.contains`: a contains b).
    public func relate(_ a: Geometry, _ predicate: SpatialPredicate, _ b: Geometry) throws -> Bool {
        let ga = try make(a), gb = try make(b)
        return try relate(ga, predicate, gb)
    }

    func relate(_ a: GEOSObject, _ predicate: SpatialPredicate, _ b: GEOSObject) throws -> Bool {
        try self.predicate(predicate.geos.plain(handle, a.pointer, b.pointer), predicate.rawValue)
    }

    public func intersects(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .intersects, b) }
    public func contains(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .contains, b) }
    public func within(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .within, b) }
    public func overlaps(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .overlaps, b) }
    public func touches(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .touches, b) }
    public func covers(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .covers, b) }
}
