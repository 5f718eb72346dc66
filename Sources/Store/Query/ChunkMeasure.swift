import Foundation
import Geometry

/// A chunk of `near` points: their candidates (built on the calling thread, then fixed), and
/// what the measuring thread makes of them: the sites, each candidate's distance, and each
/// point's matches.
///
/// ```swift
/// let work = ChunkWork(start: 0, candidates: fids, ends: ends)   // the calling thread
/// // ChunkMeasureWorker: begin(work), measure(piece, slots:, of: work)…, finish(work)
/// let found = try work.wait()   // found[k]: the k-th point's matches; work.sites: their sites
/// ```
/// The measuring thread alone touches the mutable part until it signals the chunk done;
/// `wait()` returns after that signal, so the calling thread then reads what it wrote.
final class ChunkWork: @unchecked Sendable {
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

    /// The index of the chunk's first point.
    let start: Int
    /// The chunk's points' candidates (fids), point after point.
    let candidates: [Int64]
    /// Where each point's candidates end in `candidates`.
    let ends: [Int]
    /// Each candidate's slot: its distinct site.
    let candidateSlots: [Int]
    /// The slots' fids, in fid order: the order their rows are read.
    let slotFids: [(fid: Int64, slot: Int)]

    // Written by the measuring thread only, until `done`.
    private(set) var sites: [Site] = []
    private var siteOfSlot: [Int] = []
    private var distance: [Double] = []
    private var pointOfCandidate: [Int32] = []
    private var slotStart: [Int] = []
    private var slotCandidates: [Int] = []
    private var found: Result<[[Found]], any Error> = .success([])
    private var failure: (any Error)?
    private let done = DispatchSemaphore(value: 0)

    /// The index after the chunk's last point.
    var end: Int { start + ends.count }

    init(start: Int, candidates: [Int64], ends: [Int]) {
        self.start = start
        self.candidates = candidates
        self.ends = ends
        var slots: [Int64: Int] = [:]
        slots.reserveCapacity(candidates.count)
        var candidateSlots: [Int] = []
        candidateSlots.reserveCapacity(candidates.count)
        var slotFids: [(fid: Int64, slot: Int)] = []
        for fid in candidates {
            if let slot = slots[fid] {
                candidateSlots.append(slot)
            } else {
                let slot = slotFids.count
                slots[fid] = slot
                candidateSlots.append(slot)
                slotFids.append((fid, slot))
            }
        }
        slotFids.sort { $0.fid < $1.fid }
        self.candidateSlots = candidateSlots
        self.slotFids = slotFids
    }

    /// Each point's matches, nearest first; waits for the measuring thread to finish the chunk.
    /// - Throws: what reading the copied rows into sites threw.
    func wait() throws -> [[Found]] {
        done.wait()
        return try found.get()
    }

    // MARK: the measuring thread's part

    /// Sets up the chunk's tables: which point each candidate belongs to, and each slot's
    /// candidates (grouped by slot, so that a site read measures all of them at once).
    fileprivate func begin() {
        let slotCount = slotFids.count
        siteOfSlot = Array(repeating: -1, count: slotCount)
        distance = Array(repeating: .nan, count: candidates.count)
        sites.reserveCapacity(slotCount)
        pointOfCandidate = []
        pointOfCandidate.reserveCapacity(candidates.count)
        var from = 0
        for (k, upTo) in ends.enumerated() {
            pointOfCandidate += repeatElement(Int32(k), count: upTo - from)
            from = upTo
        }
        var counts = Array(repeating: 0, count: slotCount + 1)
        for slot in candidateSlots { counts[slot + 1] += 1 }
        for s in 0..<slotCount { counts[s + 1] += counts[s] }
        slotStart = counts
        var next = counts
        slotCandidates = Array(repeating: 0, count: candidates.count)
        for (c, slot) in candidateSlots.enumerated() {
            slotCandidates[next[slot]] = c
            next[slot] += 1
        }
    }

    /// Reads a handful of copied rows into sites and measures every candidate they are.
    fileprivate func measure(_ piece: SiteRowCopies, slots: [Int], points: [Position]) {
        guard failure == nil else { return }
        do {
            let first = sites.count
            try piece.appendSites(to: &sites)
            for (r, slot) in slots.enumerated() {
                let at = first + r
                siteOfSlot[slot] = at
                for i in slotStart[slot]..<slotStart[slot + 1] {
                    let c = slotCandidates[i]
                    let p = points[start + Int(pointOfCandidate[c])]
                    distance[c] = Geodesic.wgs84.distance(from: p, to: sites[at].geometry)
                }
            }
        } catch {
            failure = error
        }
    }

    /// Each point's candidates within `radius` (a candidate not measured is a site that
    /// failed the filter), nearest first, ties in fid order; then signals the chunk done.
    fileprivate func finish(radius: Double) {
        if let failure {
            found = .failure(failure)
        } else {
            var all: [[Found]] = []
            all.reserveCapacity(ends.count)
            var from = 0
            for upTo in ends {
                var matches: [Found] = []
                for c in from..<upTo where distance[c] <= radius {
                    matches.append(Found(distance: distance[c], fid: candidates[c], at: siteOfSlot[candidateSlots[c]],
                                         treatment: .exact))
                }
                from = upTo
                matches.sort(by: Found.nearerFirst)
                all.append(matches)
            }
            found = .success(all)
        }
        // The tables are not needed once the matches are made.
        distance = []
        pointOfCandidate = []
        slotCandidates = []
        slotStart = []
        done.signal()
    }
}

/// The thread that measures `near`'s chunks: it takes the calling thread's copied rows as
/// they come, in order, reads them into sites and measures their candidates.
///
/// ```swift
/// let worker = ChunkMeasureWorker(points: points, radius: 1_000)
/// defer { worker.stop() }
/// worker.begin(work); worker.measure(piece, slots: slots, of: work); worker.finish(work)
/// ```
/// A thread of its own, not a dispatch queue: the caller blocks in `ChunkWork.wait()`, and a
/// job queued behind a pool whose threads are all blocked (as the caller's may be) would never
/// run. Jobs run in the order given; `stop()` drops those not yet run and ends the thread.
final class ChunkMeasureWorker: @unchecked Sendable {
    private enum Job {
        case begin(ChunkWork)
        case measure(ChunkWork, SiteRowCopies, [Int])
        case finish(ChunkWork)
    }

    private let condition = NSCondition()
    private var jobs: [Job] = []
    private var head = 0
    private var stopped = false

    init(points: [Position], radius: Double) {
        let thread = Thread { [self] in run(points: points, radius: radius) }
        thread.start()
    }

    func begin(_ work: ChunkWork) { add(.begin(work)) }
    func measure(_ piece: SiteRowCopies, slots: [Int], of work: ChunkWork) { add(.measure(work, piece, slots)) }
    func finish(_ work: ChunkWork) { add(.finish(work)) }

    /// Ends the thread once its current job is done; jobs not yet run are dropped.
    func stop() {
        condition.lock()
        stopped = true
        jobs = []
        head = 0
        condition.broadcast()
        condition.unlock()
    }

    private func add(_ job: Job) {
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run(points: [Position], radius: Double) {
        while true {
            condition.lock()
            while head == jobs.count && !stopped { condition.wait() }
            if stopped {
                condition.unlock()
                return
            }
            let job = jobs[head]
            head += 1
            if head > 64, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            switch job {
            case let .begin(work): work.begin()
            case let .measure(work, piece, slots): work.measure(piece, slots: slots, points: points)
            case let .finish(work): work.finish(radius: radius)
            }
        }
    }
}
