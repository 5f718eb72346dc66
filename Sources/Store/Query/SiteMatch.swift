/// A site found by a query, with the query's figures.
public struct SiteMatch: Hashable, Sendable {
    public var site: Site
    /// Geodesic distance in metres (0 inside a polygon); nil for queries without a point.
    public var distanceM: Double?
    /// For batch queries (`--points`), the 0-based index of the query point.
    public var queryIndex: Int?

    public init(site: Site, distanceM: Double? = nil, queryIndex: Int? = nil) {
        self.site = site
        self.distanceM = distanceM
        self.queryIndex = queryIndex
    }
}

/// Two sites whose areas overlap, or (with `b == nil`) a site overlapping a given area.
public struct SiteOverlap: Hashable, Sendable {
    public var a: Site
    /// The other site; nil when the overlap is with a query area.
    public var b: Site?
    /// Geodesic area of the intersection, m².
    public var overlapM2: Double
    /// `overlapM2` as a share (0…1) of `a`'s area.
    public var shareA: Double
    /// `overlapM2` as a share of `b`'s area (or of the query area).
    public var shareB: Double
}
