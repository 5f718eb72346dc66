import Foundation
import GRDB
import Geometry

/// `near` for a batch of points, a chunk of points at a time: each point's R*Tree candidates
/// are gathered first (`RTreeReach`), the chunk's distinct sites read once in store order
/// (`SitesInFidOrder`), then each point's matches measured, sorted and handed over.
extension SiteStore {
    /// Every site within `radius` of each of `points`, handed to `body` point by point, each
    /// point's nearest first with ties in fid order, cut by `limit` as `ProximityCut` says:
    /// exactly what `walkOne` gives point by point.
    ///
    /// ```swift
    /// let summaries = try SiteStore.nearInChunks(db, memo: memo, points: witnesses, radius: 1_000, limit: nil,
    ///                                            filter: filter, audience: view, walk: walk, fetch: fetch) { match in … }
    /// ```
    /// The walk gives the sites drawn across the antimeridian and the generalised ones (their
    /// published cell centres); the R*Tree's candidates are measured here, from the geometry of
    /// the site read whole. A site met by several points of a chunk is read once; sites are not
    /// kept from one chunk to the next (keeping them cost more than reading again the few that
    /// the next chunk meets: chunks are large).
    /// - Complexity: O(c log c) per point for c candidates, plus one pass in fid order over
    ///   each chunk's distinct sites.
    static func nearInChunks(_ db: Database, memo: SpatialMemo, points: [Position], radius: Double, limit: Int?,
                             filter: SiteFilter, audience: AudienceView, walk: NearestWalk, fetch: SiteFetch,
                             chunk: ProximityChunk = ProximityChunk(), _ body: (SiteMatch) throws -> Void) throws -> [ProximitySummary] {
        let index = try memo.audiences.index(db, audience)
        let reach = try RTreeReach(db, memo: memo, audience: index)
        let rows = try SitesInFidOrder(db, filter: filter, audience: index, sites: fetch)
        var summaries: [ProximitySummary] = []
        summaries.reserveCapacity(points.count)

        var candidates: [Int64] = []   // the chunk's points' candidates, point after point
        var ends: [Int] = []           // where each point's candidates end in `candidates`
        var slots: [Int64: Int] = [:]  // fid → its place in `sites`
        var candidateSlots: [Int] = [] // each candidate's slot
        var sites: [Site] = []         // the sites read, in fid order
        var siteOfSlot: [Int] = []     // each slot's place in `sites`, -1 when it has none
        var unread: [(fid: Int64, slot: Int)] = []
        var unreadFids: [Int64] = []
        var found: [(distance: Double, fid: Int64, at: Int, treatment: Treatment)] = []
        var start = 0
        while start < points.count {
            // Gather: points while the chunk has room for their candidates.
            candidates.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            var end = start
            while end < points.count, end - start < chunk.points {
                let before = candidates.count
                let room = chunk.candidates - before
                guard try reach.collect(around: points[end], within: radius, into: &candidates, atMost: room) else {
                    candidates.removeSubrange(before...)
                    break
                }
                ends.append(candidates.count)
                end += 1
            }
            if end == start {
                // One point with more candidates than a chunk holds: it walks on its own.
                summaries.append(try walkOne(walk, fetch, from: points[start], index: start, radius: radius, limit: limit, body))
                start += 1
                continue
            }

            // Read: the chunk's distinct sites, in fid order.
            slots.removeAll(keepingCapacity: true)
            candidateSlots.removeAll(keepingCapacity: true)
            sites.removeAll(keepingCapacity: true)
            siteOfSlot.removeAll(keepingCapacity: true)
            unread.removeAll(keepingCapacity: true)
            for fid in candidates {
                if let slot = slots[fid] {
                    candidateSlots.append(slot)
                    continue
                }
                let slot = siteOfSlot.count
                slots[fid] = slot
                candidateSlots.append(slot)
                siteOfSlot.append(-1)
                unread.append((fid, slot))
            }
            unread.sort { $0.fid < $1.fid }
            unreadFids.removeAll(keepingCapacity: true)
            unreadFids.append(contentsOf: unread.lazy.map(\.fid))
            try rows.read(unreadFids) { i, site in
                guard let site else { return }
                siteOfSlot[unread[i].slot] = sites.count
                sites.append(site)
            }

            // Measure, sort and hand over, point by point.
            var from = 0
            for (k, upTo) in ends.enumerated() {
                let q = start + k, p = points[q]
                found.removeAll(keepingCapacity: true)
                for i in from..<upTo {
                    let at = siteOfSlot[candidateSlots[i]]
                    guard at >= 0 else { continue }
                    let d = Geodesic.wgs84.distance(from: p, to: sites[at].geometry)
                    if d <= radius { found.append((d, candidates[i], at, .exact)) }
                }
                from = upTo
                walk.start(at: p, within: radius, tree: false)
                while let extra = try walk.next() {
                    found.append((extra.distance, extra.fid, -1, extra.treatment))
                }
                found.sort { $0.distance != $1.distance ? $0.distance < $1.distance : $0.fid < $1.fid }
                var cut = ProximityCut(queryIndex: q, limit: limit, radius: radius)
                handing: for f in found {
                    switch cut.admit(f.distance) {
                    case .cut: continue
                    case .stop: break handing
                    case .handOver: break
                    }
                    guard let site = f.at >= 0 ? sites[f.at] : try fetch.site(f.fid) else { continue }
                    try body(SiteMatch(site: site, distanceM: f.distance, queryIndex: q, treatment: f.treatment))
                    cut.handedOver(f.distance)
                }
                summaries.append(cut.finish())
            }
            start = end
        }
        return summaries
    }
}
