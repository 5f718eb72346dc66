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
    ///
    /// Two chunks are in hand at a time: while a second thread reads one chunk's copied rows
    /// into sites and measures their distances (`ChunkMeasure`, which touches no database),
    /// this thread copies the next chunk's rows out of the store (`SiteRowCopies`: bytes and
    /// numbers, no strings made, no geometry decoded), then hands over the measured one. Everything that reads the store, and every call of
    /// `body`, stays on the calling thread, in the read transaction it runs in, in the order of
    /// the points.
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

        var measuring: ChunkMeasure?
        var spare = ChunkRead(start: 0)  // a chunk handed over, whose arrays the next one reuses
        /// Waits for the chunk being measured, and hands its points' matches over.
        func handOverMeasured() throws {
            guard let job = measuring else { return }
            measuring = nil
            let found = try job.wait()
            let read = job.take()
            for k in read.ends.indices {
                let q = read.start + k
                summaries.append(try handOver(found[k], of: read, point: q, at: points[q], radius: radius,
                                              limit: limit, walk: walk, fetch: fetch, body))
            }
            spare = read
        }

        var start = 0
        while start < points.count {
            var read = spare
            spare = ChunkRead(start: 0)
            read.clear(start: start)
            guard try readChunk(into: &read, points: points, radius: radius, chunk: chunk, reach: reach, rows: rows) else {
                // One point with more candidates than a chunk holds: it walks on its own.
                try handOverMeasured()
                summaries.append(try walkOne(walk, fetch, from: points[start], index: start, radius: radius, limit: limit, body))
                start += 1
                continue
            }
            let next = ChunkMeasure(read, points: points, radius: radius)
            read = ChunkRead(start: 0)  // the job's alone now
            try handOverMeasured()
            measuring = next
            start = next.end
        }
        try handOverMeasured()
        return summaries
    }

    /// Fills `read` (empty, from its `start`) with the chunk of points from there: as many as
    /// fit, with their candidates and the sites those are; false when the point at `start`
    /// alone has more candidates than a chunk holds.
    private static func readChunk(into read: inout ChunkRead, points: [Position], radius: Double, chunk: ProximityChunk,
                                  reach: RTreeReach, rows: SitesInFidOrder) throws -> Bool {
        // Gather: points while the chunk has room for their candidates.
        let start = read.start
        var end = start
        while end < points.count, end - start < chunk.points {
            let before = read.candidates.count
            let room = chunk.candidates - before
            guard try reach.collect(around: points[end], within: radius, into: &read.candidates, atMost: room) else {
                read.candidates.removeSubrange(before...)
                break
            }
            read.ends.append(read.candidates.count)
            end += 1
        }
        guard end > start else { return false }

        // Read: the chunk's distinct sites, in fid order.
        var slots: [Int64: Int] = [:]  // fid → its place in `siteOfSlot`
        var unread: [(fid: Int64, slot: Int)] = []
        slots.reserveCapacity(read.candidates.count)
        unread.reserveCapacity(read.candidates.count)
        read.candidateSlots.reserveCapacity(read.candidates.count)
        read.siteOfSlot.reserveCapacity(read.candidates.count)
        for fid in read.candidates {
            if let slot = slots[fid] {
                read.candidateSlots.append(slot)
                continue
            }
            let slot = read.siteOfSlot.count
            slots[fid] = slot
            read.candidateSlots.append(slot)
            read.siteOfSlot.append(-1)
            unread.append((fid, slot))
        }
        unread.sort { $0.fid < $1.fid }
        // Copied only: the measuring thread reads the copies into sites.
        read.copies.reserve(rows: unread.count)
        try rows.readRows(unread.map(\.fid)) { i, row in
            guard let row else { return }
            read.siteOfSlot[unread[i].slot] = read.copies.count
            read.copies.append(row, names: try rows.names(on: row))
        }
        return true
    }

    /// One point's matches: the measured ones of its chunk (nearest first) with what the walk
    /// adds (sites across the antimeridian, generalised ones), cut and handed to `body`.
    private static func handOver(_ measured: [ChunkMeasure.Found], of read: ChunkRead, point q: Int, at p: Position,
                                 radius: Double, limit: Int?, walk: NearestWalk, fetch: SiteFetch,
                                 _ body: (SiteMatch) throws -> Void) throws -> ProximitySummary {
        var found = measured
        walk.start(at: p, within: radius, tree: false)
        var extras = false
        while let extra = try walk.next() {
            found.append(ChunkMeasure.Found(distance: extra.distance, fid: extra.fid, at: -1, treatment: extra.treatment))
            extras = true
        }
        if extras { found.sort(by: ChunkMeasure.Found.nearerFirst) }
        var cut = ProximityCut(queryIndex: q, limit: limit, radius: radius)
        handing: for f in found {
            switch cut.admit(f.distance) {
            case .cut: continue
            case .stop: break handing
            case .handOver: break
            }
            guard let site = f.at >= 0 ? read.sites[f.at] : try fetch.site(f.fid) else { continue }
            try body(SiteMatch(site: site, distanceM: f.distance, queryIndex: q, treatment: f.treatment))
            cut.handedOver(f.distance)
        }
        return cut.finish()
    }
}

/// A chunk of `near` points as read from the store: their candidates, and the sites those are.
struct ChunkRead: Sendable {
    /// The index of the chunk's first point.
    private(set) var start: Int
    /// The chunk's points' candidates (fids), point after point.
    var candidates: [Int64] = []
    /// Where each point's candidates end in `candidates`.
    var ends: [Int] = []
    /// Each candidate's slot (its distinct site).
    var candidateSlots: [Int] = []
    /// Each slot's place in `copies` and `sites`, -1 when it has none (the site fails the filter).
    var siteOfSlot: [Int] = []
    /// The rows of the sites read, in fid order, as copied from the store.
    var copies = SiteRowCopies()
    /// The same sites, read from `copies` by the measuring thread.
    var sites: [Site] = []

    init(start: Int) { self.start = start }

    /// Empties the chunk for points from `start`, keeping the arrays' storage.
    mutating func clear(start: Int) {
        self.start = start
        candidates.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        candidateSlots.removeAll(keepingCapacity: true)
        siteOfSlot.removeAll(keepingCapacity: true)
        copies.removeAll()
        sites.removeAll(keepingCapacity: true)
    }

    /// The index after the chunk's last point.
    var end: Int { start + ends.count }
}

/// The sites of a chunk, read from their copied rows, and the distances of its candidates,
/// measured on a thread of their own: each point's candidates within the radius, nearest
/// first, ties in fid order.
///
/// ```swift
/// let job = ChunkMeasure(read, points: points, radius: 1_000)   // starts measuring
/// let found = try job.wait()                                     // found[k]: the chunk's k-th point
/// ```
/// The job reads only its `ChunkRead` and the points (values it was given); `wait()` returns
/// once the thread has written `found`, which the semaphore orders before the read. Each job
/// starts a thread (a chunk is up to 262,144 candidates, so a batch makes a handful).
final class ChunkMeasure: @unchecked Sendable {
    struct Found {
        var distance: Double
        var fid: Int64
        /// The site's place in the chunk's `sites`; -1 for a site the walk added.
        var at: Int
        var treatment: Treatment

        static func nearerFirst(_ a: Found, _ b: Found) -> Bool {
            a.distance != b.distance ? a.distance < b.distance : a.fid < b.fid
        }
    }

    private var chunk: ChunkRead
    private var found: Result<[[Found]], any Error> = .success([])
    private let done = DispatchSemaphore(value: 0)

    /// The index after the chunk's last point.
    let end: Int

    init(_ chunk: ChunkRead, points: [Position], radius: Double) {
        self.chunk = chunk
        end = chunk.end
        // A thread of its own, not a dispatch queue: the caller blocks in `wait()`, and a job
        // queued behind a pool whose threads are all blocked (as the caller's may be) would
        // never run.
        let thread = Thread { [self] in
            found = Result {
                self.chunk.sites = try self.chunk.copies.sites()
                return Self.measure(self.chunk, points: points, radius: radius)
            }
            done.signal()
        }
        thread.start()
    }

    /// The measured matches, point by point; waits for the thread to finish. Call once.
    /// - Throws: what reading the copied rows into sites threw.
    func wait() throws -> [[Found]] {
        done.wait()
        return try found.get()
    }

    /// The chunk measured, moved out of the job (after `wait()`), so that its arrays are the
    /// caller's alone and can be reused.
    func take() -> ChunkRead {
        defer { chunk = ChunkRead(start: 0) }
        return chunk
    }

    private static func measure(_ read: ChunkRead, points: [Position], radius: Double) -> [[Found]] {
        var all: [[Found]] = []
        all.reserveCapacity(read.ends.count)
        var from = 0
        for (k, upTo) in read.ends.enumerated() {
            let p = points[read.start + k]
            var found: [Found] = []
            found.reserveCapacity(upTo - from)
            for i in from..<upTo {
                let at = read.siteOfSlot[read.candidateSlots[i]]
                guard at >= 0 else { continue }
                let d = Geodesic.wgs84.distance(from: p, to: read.sites[at].geometry)
                if d <= radius { found.append(Found(distance: d, fid: read.candidates[i], at: at, treatment: .exact)) }
            }
            from = upTo
            found.sort(by: Found.nearerFirst)
            all.append(found)
        }
        return all
    }
}
