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
        let (h, x, y) = (handle, a.pointer, b.pointer)
        let result: CChar = switch predicate {
        case .intersects: GEOSIntersects_r(h, x, y)
        case .disjoint: GEOSDisjoint_r(h, x, y)
        case .contains: GEOSContains_r(h, x, y)
        case .within: GEOSWithin_r(h, x, y)
        case .overlaps: GEOSOverlaps_r(h, x, y)
        case .touches: GEOSTouches_r(h, x, y)
        case .covers: GEOSCovers_r(h, x, y)
        case .coveredBy: GEOSCoveredBy_r(h, x, y)
        case .crosses: GEOSCrosses_r(h, x, y)
        case .equals: GEOSEquals_r(h, x, y)
        }
        return try self.predicate(result, predicate.rawValue)
    }

    public func intersects(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .intersects, b) }
    public func contains(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .contains, b) }
    public func within(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .within, b) }
    public func overlaps(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .overlaps, b) }
    public func touches(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .touches, b) }
    public func covers(_ a: Geometry, _ b: Geometry) throws -> Bool { try relate(a, .covers, b) }
}
