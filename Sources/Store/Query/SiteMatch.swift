/// A site found by a query, with the query's figures.
///
/// `site` is the site as stored; `treatment` says how the query's audience sees it. For a
/// generalised site every figure (`distanceM`, membership, rank) was measured from its
/// published cell centre, never from `site.geometry`: the output layer shows the published
/// copy.
public struct SiteMatch: Hashable, Sendable {
    public var site: Site
    /// Geodesic distance in metres (0 inside a polygon); nil for queries without a point.
    public var distanceM: Double?
    /// For batch queries (`--points`), the 0-based index of the query point.
    public var queryIndex: Int?
    /// Exact, or generalised (shown at its cell centre); withheld sites are never matched.
    public var treatment: Treatment

    public init(site: Site, distanceM: Double? = nil, queryIndex: Int? = nil, treatment: Treatment = .exact) {
        self.site = site
        self.distanceM = distanceM
        self.queryIndex = queryIndex
        self.treatment = treatment
    }
}

/// Two sites whose areas overlap, or (with `b == nil`) a site inside, touching or overlapping
/// a given area.
public struct SiteOverlap: Hashable, Sendable {
    /// How a site meets the query area.
    public enum Contact: String, Hashable, Sendable {
        /// The two share an area (`overlapM2` > 0).
        case overlapping
        /// A point (or a generalised site's cell centre) inside the area; `overlapM2` is 0.
        case inside
        /// On the area's boundary only; `overlapM2` is 0.
        case touching
    }

    public var a: Site
    /// The other site; nil when the overlap is with a query area.
    public var b: Site?
    /// Geodesic area of the intersection, m².
    public var overlapM2: Double
    /// `overlapM2` as a share (0…1) of `a`'s area (0 for a site without area).
    public var shareA: Double
    /// `overlapM2` as a share of `b`'s area (or of the query area).
    public var shareB: Double
    public var contact: Contact = .overlapping
    /// How the audience sees `a` (and `b`); figures of a generalised site are its cell centre's.
    public var treatmentA: Treatment = .exact
    public var treatmentB: Treatment = .exact
}
