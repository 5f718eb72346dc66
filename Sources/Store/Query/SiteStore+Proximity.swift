import Foundation
import GRDB
import Geometry

/// `near` and `nearest`: exact geodesic distances (0 inside a polygon) as one audience sees
/// the sites, nearest first, ties in store order; streamed per query point.
extension SiteStore {
    /// Every site within `radius` metres of each of `points`, nearest first, handed to `body`
    /// as found (all of point 0's, then point 1's …); with `limit`, the nearest `limit` and any
    /// site tied with the last of them (to a millimetre).
    ///
    /// ```swift
    /// let summaries = try store.near(points: witnesses, radius: 1_000, limit: 10, audience: view) { match in
    ///     write(match)            // match.queryIndex, match.distanceM, match.treatment
    /// }
    /// summaries[0].moreMatched    // further sites within the radius that the limit cut
    /// ```
    /// Memory does not grow with the number of results: each site is read when it is next.
    /// - Complexity: O((n + m) log m) per point for n sites handed over (or, with a limit,
    ///   within the radius) and m R*Tree entries they lie in.
    public func near(points: [Position], radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                     audience: AudienceView, _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        try proximity(points: points, radius: radius, cut: limit, filter: filter, audience: audience, body)
    }

    /// Exactly the `k` sites nearest to each of `points`, whatever their distance, and any
    /// site tied with the k-th (to a millimetre), handed to `body` as found.
    ///
    /// ```swift
    /// let summaries = try store.nearest(points: [witness], k: 3, audience: .anyone) { print($0.site.name) }
    /// summaries[0].tie            // set when the 3rd fell inside a tie
    /// ```
    /// A best-first walk of the R*Tree (see `NearestWalk`): no search radius is guessed.
    /// - Complexity: O((k + m) log m) per point for m entries whose bound is below the k-th
    ///   distance.
    public func nearest(points: [Position], k: Int, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView, _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        guard k > 0 else {
            return points.indices.map { ProximitySummary(queryIndex: $0, returned: 0, moreMatched: 0) }
        }
        return try proximity(points: points, radius: .infinity, cut: k, filter: filter, audience: audience, body)
    }

    /// Every site within `radius` metres of `position`, nearest first.
    ///
    /// ```swift
    /// let hits = try store.near(Position(x: 51.5485, y: 35.6), radius: 1_000, limit: 10)
    /// hits.first?.distanceM   // 0 when the point is inside the site's outline
    /// ```
    /// - Complexity: see `near(points:radius:limit:filter:audience:_:)`.
    public func near(_ position: Position, radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                     audience: AudienceView = .anyone) throws -> [SiteMatch] {
        try near(points: [position], radius: radius, limit: limit, filter: filter, audience: audience).map {
            SiteMatch(site: $0.site, distanceM: $0.distanceM, treatment: $0.treatment)
        }
    }

    /// `near` for each of `points`, collected; every match carries its query's index.
    public func near(points: [Position], radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                     audience: AudienceView = .anyone) throws -> [SiteMatch] {
        var out: [SiteMatch] = []
        _ = try near(points: points, radius: radius, limit: limit, filter: filter, audience: audience) { out.append($0) }
        return out
    }

    /// Exactly the `k` sites nearest to `position` (and those tied with the k-th).
    ///
    /// ```swift
    /// let three = try store.nearest(witness, k: 3)
    /// ```
    public func nearest(_ position: Position, k: Int, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView = .anyone) throws -> [SiteMatch] {
        try nearest(points: [position], k: k, filter: filter, audience: audience).map {
            SiteMatch(site: $0.site, distanceM: $0.distanceM, treatment: $0.treatment)
        }
    }

    /// `nearest` for each of `points`, collected; every match carries its query's index.
    public func nearest(points: [Position], k: Int, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView = .anyone) throws -> [SiteMatch] {
        var out: [SiteMatch] = []
        _ = try nearest(points: points, k: k, filter: filter, audience: audience) { out.append($0) }
        return out
    }

    /// The walk for every point, cut after `cut` sites (and their ties); within a finite
    /// radius the sites past the cut are counted.
    private func proximity(points: [Position], radius: Double, cut: Int?, filter: SiteFilter,
                           audience: AudienceView, _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        try spatialRead { db, memo in
            let fetch = try SiteFetch(db)
            let walk = try NearestWalk(db, memo: memo, filter: filter, view: audience, sites: fetch)
            var summaries: [ProximitySummary] = []
            summaries.reserveCapacity(points.count)
            var kept: [Double] = []   // distances handed over, while a cut is to come
            for (index, p) in points.enumerated() {
                walk.start(at: p, within: radius)
                var summary = ProximitySummary(queryIndex: index, returned: 0, moreMatched: 0)
                var cutDistance: Double?
                kept.removeAll(keepingCapacity: true)
                while let found = try walk.next() {
                    if let d = cutDistance, found.distance > d + ProximitySummary.tolerance {
                        guard radius.isFinite else { break }
                        summary.moreMatched += 1
                        continue
                    }
                    guard let site = try walk.site(found.fid) ?? fetch.site(found.fid) else { continue }
                    try body(SiteMatch(site: site, distanceM: found.distance, queryIndex: index, treatment: found.treatment))
                    summary.returned += 1
                    guard let cut else { continue }
                    if summary.returned <= cut { kept.append(found.distance) }
                    if summary.returned == cut { cutDistance = found.distance }
                }
                if let cut, let d = cutDistance, summary.returned > cut {
                    let before = kept.reversed().prefix { d - $0 <= ProximitySummary.tolerance }.count
                    summary.tie = .init(distanceM: d, count: before + summary.returned - cut,
                                        beyondLimit: summary.returned - cut)
                }
                summaries.append(summary)
            }
            return summaries
        }
    }
}
