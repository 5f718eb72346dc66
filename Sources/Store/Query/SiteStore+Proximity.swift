import Foundation
import GRDB
import Geometry

/// `near` and `nearest`: exact geodesic distances (0 inside a polygon), nearest first, ties
/// in store order.
extension SiteStore {
    /// Every site within `radius` metres of `position`, nearest first.
    ///
    /// ```swift
    /// let hits = try store.near(Position(x: 51.5485, y: 35.6), radius: 1_000, limit: 10)
    /// hits.first?.distanceM   // 0 when the point is inside the site's outline
    /// ```
    /// - Complexity: one R*Tree search plus one exact distance per site in the search boxes.
    public func near(_ position: Position, radius: Double, limit: Int? = nil,
                     filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        try near(points: [position], radius: radius, limit: limit, filter: filter).map {
            SiteMatch(site: $0.site, distanceM: $0.distanceM)
        }
    }

    /// `near` for each of `points` in one read transaction; every match carries its query's index.
    public func near(points: [Position], radius: Double, limit: Int? = nil,
                     filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        try spatialRead { db, spatial in
            let span = spatial.span
            let search = try CandidateSearch(db, filter: filter, wrapped: spatial.wrapped)
            var found: [(query: Int, fid: Int64, distance: Double)] = []
            for (index, p) in points.enumerated() {
                let boxes = SearchRegion.boxes(around: p, radius: radius, spanDegrees: span)
                var hits = try search.candidates(boxes).compactMap { c -> (Int64, Double)? in
                    let d = Self.distance(p, c.geometry)
                    return d <= radius ? (c.fid, d) : nil
                }
                hits.sort { ($0.1, $0.0) < ($1.1, $1.0) }
                if let limit { hits = Array(hits.prefix(limit)) }
                found += hits.map { (index, $0.0, $0.1) }
            }
            return try Self.matches(db, found)
        }
    }

    /// Exactly the `k` sites nearest to `position`, whatever their distance.
    ///
    /// ```swift
    /// let three = try store.nearest(witness, k: 3)
    /// ```
    /// The search radius starts where `k` sites would lie if the sites were spread evenly and
    /// grows fourfold until `k` sites lie within it (or it covers the Earth); a site outside
    /// the radius cannot beat one inside, so the answer is exact.
    /// - Complexity: O(log(d/r₀)) R*Tree searches for a k-th distance d and first radius r₀.
    public func nearest(_ position: Position, k: Int, filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        try nearest(points: [position], k: k, filter: filter).map { SiteMatch(site: $0.site, distanceM: $0.distanceM) }
    }

    /// `nearest` for each of `points`; every match carries its query's index.
    public func nearest(points: [Position], k: Int, filter: SiteFilter = SiteFilter()) throws -> [SiteMatch] {
        guard k > 0 else { return [] }
        return try spatialRead { db, spatial in
            let span = spatial.span
            let first = try Self.firstRadius(db, k: k)
            let search = try CandidateSearch(db, filter: filter, wrapped: spatial.wrapped)
            var found: [(query: Int, fid: Int64, distance: Double)] = []
            for (index, p) in points.enumerated() {
                var known: [Int64: Double] = [:]
                var radius = first
                while true {
                    let boxes = SearchRegion.boxes(around: p, radius: radius, spanDegrees: span)
                    for c in try search.candidates(boxes) where known[c.fid] == nil {
                        known[c.fid] = Self.distance(p, c.geometry)
                    }
                    let inside = known.filter { $0.value <= radius }
                    if inside.count >= k || radius >= SearchRegion.halfCircumference {
                        let best = inside.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.prefix(k)
                        found += best.map { (index, $0.key, $0.value) }
                        break
                    }
                    radius *= 4
                }
            }
            return try Self.matches(db, found)
        }
    }

    static func distance(_ p: Position, _ geometry: Geometry) -> Double {
        Geodesic.wgs84.distance(from: p, to: geometry)
    }

    static func matches(_ db: Database, _ found: [(query: Int, fid: Int64, distance: Double)]) throws -> [SiteMatch] {
        let sites = try Self.sites(db, fids: found.map(\.fid))
        return found.compactMap { f in
            sites[f.fid].map { SiteMatch(site: $0, distanceM: f.distance, queryIndex: f.query) }
        }
    }
}
