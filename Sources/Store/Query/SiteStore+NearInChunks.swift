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
    /// the row alone, and a site is read whole only when some point of the chunk finds it
    /// within the radius. A site met by several points of a chunk is read once; sites are not
    /// kept from one chunk to the next (keeping them cost more than reading again the few that
    /// the next chunk meets: chunks are large).
    ///
    /// Two threads share the work. This one gathers a chunk's candidates and copies their rows
    /// out of the store (`SiteRowCopies`: bytes and numbers, no string made, no geometry
    /// decoded), handing the copies over a few thousand rows at a time; a second thread
    /// (`ChunkMeasureWorker`, which touches no database) measures the distances of the
    /// candidates each handful is and reads the rows within reach into sites, while this one
    /// copies the next.
    /// A chunk measured is handed over (to `body`) once the next one is read; while this thread
    /// waits for it, it measures the pieces the second one has not yet taken. Everything that
    /// reads the store, and every call of `body`, stays on the calling thread, in the read
    /// transaction it runs in, in the order of the points.
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
        let worker = ChunkMeasureWorker()
        defer { worker.stop() }

        var measuring: ChunkWork?
        /// Waits for the chunk being measured, and hands its points' matches over.
        func handOverMeasured() throws {
            guard let work = measuring else { return }
            measuring = nil
            let found = try worker.wait(for: work)
            for k in found.indices {
                let q = work.start + k
                summaries.append(try handOver(found[k], of: work, point: q, at: points[q], radius: radius,
                                              limit: limit, walk: walk, fetch: fetch, body))
            }
        }

        var start = 0
        while start < points.count {
            guard let work = try gatherChunk(from: start, points: points, radius: radius, chunk: chunk, reach: reach) else {
                // One point with more candidates than a chunk holds: it walks on its own.
                try handOverMeasured()
                summaries.append(try walkOne(walk, fetch, from: points[start], index: start, radius: radius, limit: limit, body))
                start += 1
                continue
            }
            try readChunk(work, rows: rows, worker: worker, pieceRows: chunk.pieceRows)
            try handOverMeasured()
            measuring = work
            start = work.end
        }
        try handOverMeasured()
        return summaries
    }

    /// The chunk of points from `start`: as many as fit, with their candidates; nil when the
    /// point at `start` alone has more candidates than a chunk holds.
    private static func gatherChunk(from start: Int, points: [Position], radius: Double, chunk: ProximityChunk,
                                    reach: RTreeReach) throws -> ChunkWork? {
        var candidates: [Int64] = []
        var ends: [Int] = []
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
        guard end > start else { return nil }
        return ChunkWork(start: start, candidates: candidates, ends: ends, points: points, radius: radius)
    }

    /// Copies the rows of `work`'s distinct sites, in fid order, and hands them to `worker`
    /// `pieceRows` at a time, then the chunk's end.
    private static func readChunk(_ work: ChunkWork, rows: SitesInFidOrder, worker: ChunkMeasureWorker,
                                  pieceRows: Int) throws {
        var piece = worker.emptyPiece(rows: pieceRows)
        var slots: [Int] = []
        slots.reserveCapacity(pieceRows)
        let unread = work.slotFids
        try rows.readRows(unread.map(\.fid)) { i, row in
            guard let row else { return }
            piece.append(row, names: try rows.names(on: row))
            slots.append(unread[i].slot)
            if slots.count == pieceRows {
                worker.measure(piece, slots: slots, of: work)
                piece = worker.emptyPiece(rows: pieceRows)
                slots = []
                slots.reserveCapacity(pieceRows)
            }
        }
        if !slots.isEmpty { worker.measure(piece, slots: slots, of: work) }
        work.seal()
    }

    /// One point's matches: the measured ones of its chunk (nearest first) with what the walk
    /// adds (sites across the antimeridian, generalised ones), cut and handed to `body`.
    private static func handOver(_ measured: [ChunkWork.Found], of work: ChunkWork, point q: Int, at p: Position,
                                 radius: Double, limit: Int?, walk: NearestWalk, fetch: SiteFetch,
                                 _ body: (SiteMatch) throws -> Void) throws -> ProximitySummary {
        var found = measured
        walk.start(at: p, within: radius, tree: false)
        var extras = false
        while let extra = try walk.next() {
            found.append(ChunkWork.Found(distance: extra.distance, fid: extra.fid, at: -1, treatment: extra.treatment))
            extras = true
        }
        if extras { found.sort(by: ChunkWork.Found.nearerFirst) }
        var cut = ProximityCut(queryIndex: q, limit: limit, radius: radius)
        handing: for f in found {
            switch cut.admit(f.distance) {
            case .cut: continue
            case .stop: break handing
            case .handOver: break
            }
            guard let site = f.at >= 0 ? work.takeSite(f.at) : try fetch.site(f.fid) else { continue }
            try body(SiteMatch(site: site, distanceM: f.distance, queryIndex: q, treatment: f.treatment))
            cut.handedOver(f.distance)
        }
        return cut.finish()
    }
}
