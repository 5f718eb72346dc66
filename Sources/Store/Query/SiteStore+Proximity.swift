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
        try proximity(points: points, radius: radius, cut: limit, filter: filter, audience: audience, inChunks: true, body)
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
        return try proximity(points: points, radius: .infinity, cut: k, filter: filter, audience: audience, inChunks: false, body)
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

    /// `near(points:radius:limit:filter:audience:_:)` with each point walking on its own,
    /// reading sites as they come, never in chunks: the path a batch took before chunks, kept
    /// for the benchmark to measure against (`tools/bench/queries`).
    @_spi(Benchmarks)
    public func nearWalkingEachPoint(points: [Position], radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                                     audience: AudienceView, _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        try proximity(points: points, radius: radius, cut: limit, filter: filter, audience: audience, inChunks: false, body)
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
    /// radius the sites past the cut are counted. With `inChunks`, within a radius, a batch
    /// goes in chunks of points (`nearInChunks`), which read each chunk's sites once, in store
    /// order; else (and for one point) each point walks on its own, reading sites as they come.
    /// Both give the same matches in the same order.
    func proximity(points: [Position], radius: Double, cut: Int?, filter: SiteFilter, audience: AudienceView,
                   inChunks: Bool, chunk: ProximityChunk = ProximityChunk(),
                   _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        try spatialRead { db, memo in
            let fetch = try SiteFetch(db)
            let walk = try NearestWalk(db, memo: memo, filter: filter, view: audience, sites: fetch)
            if inChunks, radius.isFinite, points.count > 1 {
                return try Self.nearInChunks(db, memo: memo, points: points, radius: radius, limit: cut, filter: filter,
                                             audience: audience, walk: walk, fetch: fetch, chunk: chunk, body)
            }
            return try points.enumerated().map { index, p in
                try Self.walkOne(walk, fetch, from: p, index: index, radius: radius, limit: cut, body)
            }
        }
    }

    /// One point's sites, nearest first, straight from the walk: each site read when it is next.
    static func walkOne(_ walk: NearestWalk, _ fetch: SiteFetch, from p: Position, index: Int, radius: Double,
                        limit: Int?, _ body: (SiteMatch) throws -> Void) throws -> ProximitySummary {
        walk.start(at: p, within: radius)
        var cut = ProximityCut(queryIndex: index, limit: limit, radius: radius)
        walking: while let found = try walk.next() {
            switch cut.admit(found.distance) {
            case .cut: continue
            case .stop: break walking
            case .handOver: break
            }
            guard let site = try walk.site(found.fid) ?? fetch.site(found.fid) else { continue }
            try body(SiteMatch(site: site, distanceM: found.distance, queryIndex: index, treatment: found.treatment))
            cut.handedOver(found.distance)
        }
        return cut.finish()
    }
}
