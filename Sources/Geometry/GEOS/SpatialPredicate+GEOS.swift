import CGEOS

/// Which GEOS function answers each predicate: one table for plain and prepared geometries.
///
/// ```swift
/// SpatialPredicate.contains.geos.plain(handle, a, b)        // GEOSContains_r
/// SpatialPredicate.contains.geos.prepared?(handle, p, b)    // GEOSPreparedContains_r
/// ```
/// - Edge cases: `equals` has no prepared form in GEOS (`prepared` is nil): a prepared
///   geometry answers it with `GEOSEquals_r` on the geometry it was made from.
extension SpatialPredicate {
    /// A GEOS predicate on two geometries (or a prepared geometry and a geometry): 1 true,
    /// 0 false, 2 an exception.
    typealias GEOSRelation = (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> CChar

    var geos: (plain: GEOSRelation, prepared: GEOSRelation?) {
        switch self {
        case .intersects: (GEOSIntersects_r, GEOSPreparedIntersects_r)
        case .disjoint: (GEOSDisjoint_r, GEOSPreparedDisjoint_r)
        case .contains: (GEOSContains_r, GEOSPreparedContains_r)
        case .within: (GEOSWithin_r, GEOSPreparedWithin_r)
        case .overlaps: (GEOSOverlaps_r, GEOSPreparedOverlaps_r)
        case .touches: (GEOSTouches_r, GEOSPreparedTouches_r)
        case .covers: (GEOSCovers_r, GEOSPreparedCovers_r)
        case .coveredBy: (GEOSCoveredBy_r, GEOSPreparedCoveredBy_r)
        case .crosses: (GEOSCrosses_r, GEOSPreparedCrosses_r)
        case .equals: (GEOSEquals_r, nil)
        }
    }
}
