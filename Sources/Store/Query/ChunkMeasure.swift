import Foundation
import Geometry

/// A chunk of `near` points: their candidates (built on the calling thread, then fixed), and
/// what the measuring threads make of them: each candidate's distance, the sites some point
/// finds within the radius, and each point's matches.
///
/// ```swift
/// let work = ChunkWork(start: 0, candidates: fids, ends: ends, points: points, radius: 1_000)
/// // the calling thread: worker.measure(piece, slots:, of: work)…, then work.seal()
/// let found = try worker.wait(for: work)   // found[k]: the k-th point's matches; work.site(f.at): its site
/// ```
/// Pieces of copied rows are measured by whichever thread takes them (the measuring thread,
/// or the calling thread while it waits), each piece on one thread; a piece writes only the
/// slots of its own rows and the distances of their candidates, so two pieces never touch
/// the same memory. The last piece measured, or `seal()` when none is left, makes the
/// points' matches and signals the chunk done; `wait()` returns after that signal, so the
/// calling thread then reads what the pieces wrote. The lock that counts the pieces orders
/// each piece's writes before the matches are made.
final class ChunkWork: @unchecked Sendable {
    struct Found {
        var distance: Double
        var fid: Int64
        /// The site's slot in the chunk (`site(_:)`); -1 for a site the walk added.
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
    /// Every point of the query (the chunk's from `start`), and the radius.
    private let points: [Position]
    private let radius: Double
    /// Each slot's candidates, grouped by slot (`slotStart[s]..<slotStart[s + 1]`), so that a
    /// site read measures all of them at once; and the point of each candidate (in the chunk).
    private let slotStart: [Int]
    private let slotCandidates: [Int32]
    private let pointOfCandidate: [Int32]

    // Each element written by the one piece that holds its slot, read once the chunk is done.
    private let sites: UnsafeMutableBufferPointer<Site?>
    private let distance: UnsafeMutableBufferPointer<Double>
    /// How many of the points' matches each slot's site is still to be handed to: counted
    /// when the matches are made, then by `takeSite(_:)` on the calling thread, which moves a
    /// site out of its slot for its last match rather than copy it.
    private let uses: UnsafeMutableBufferPointer<Int32>

    // Under `lock`.
    private let lock = NSLock()
    private var outstanding = 0
    private var pieces = 0
    private var sealed = false
    private var finished = false
    private var failure: (piece: Int, error: any Error)?
    private var found: Result<[[Found]], any Error> = .success([])
    private let done = DispatchSemaphore(value: 0)

    /// The index after the chunk's last point.
    var end: Int { start + ends.count }

    init(start: Int, candidates: [Int64], ends: [Int], points: [Position], radius: Double) {
        self.start = start
        self.candidates = candidates
        self.ends = ends
        self.points = points
        self.radius = radius
        // The candidates in fid order (one sort, no table of fids): a slot per distinct fid,
        // numbered in that order, which is the order rows are read; each slot's candidates
        // are then the run of equal fids.
        var byFid = candidates.indices.map { (fid: candidates[$0], candidate: Int32($0)) }
        byFid.sort { $0.fid < $1.fid }
        var candidateSlots = [Int](repeating: 0, count: candidates.count)
        var slotFids: [(fid: Int64, slot: Int)] = []
        var slotStart: [Int] = []
        var slotCandidates: [Int32] = []
        slotCandidates.reserveCapacity(candidates.count)
        for (i, entry) in byFid.enumerated() {
            if i == 0 || byFid[i - 1].fid != entry.fid {
                slotStart.append(i)
                slotFids.append((entry.fid, slotFids.count))
            }
            candidateSlots[Int(entry.candidate)] = slotFids.count - 1
            slotCandidates.append(entry.candidate)
        }
        slotStart.append(byFid.count)
        self.candidateSlots = candidateSlots
        self.slotFids = slotFids
        self.slotStart = slotStart
        self.slotCandidates = slotCandidates

        let slotCount = slotFids.count
        var pointOfCandidate: [Int32] = []
        pointOfCandidate.reserveCapacity(candidates.count)
        var from = 0
        for (k, upTo) in ends.enumerated() {
            pointOfCandidate += repeatElement(Int32(k), count: upTo - from)
            from = upTo
        }
        self.pointOfCandidate = pointOfCandidate
        sites = .allocate(capacity: slotCount)
        sites.initialize(repeating: nil)
        distance = .allocate(capacity: candidates.count)
        distance.initialize(repeating: .nan)
        uses = .allocate(capacity: slotCount)
        uses.initialize(repeating: 0)
    }

    deinit {
        sites.deinitialize().deallocate()
        distance.deinitialize().deallocate()
        uses.deinitialize().deallocate()
    }

    /// The site of slot `slot`, read by a piece when some point finds it within the radius
    /// (nil otherwise); once the chunk is done.
    func site(_ slot: Int) -> Site? { sites[slot] }

    /// `site(_:)` for one of the matches `wait()` gave, each match asked once: the last
    /// match of a site takes it out of the chunk (moved, not copied: a copy costs a
    /// reference count on each of its strings and arrays, and the chunk's copy another when
    /// it goes). On the calling thread, once the chunk is done.
    func takeSite(_ slot: Int) -> Site? {
        guard slot >= 0, slot < uses.count, let base = sites.baseAddress else { return nil }
        if uses[slot] > 1 {
            uses[slot] -= 1
            return sites[slot]
        }
        uses[slot] = 0
        let site = (base + slot).move()
        (base + slot).initialize(to: nil)
        return site
    }

    /// Each point's matches, nearest first; waits for the chunk to be done.
    /// - Throws: what reading the copied rows into sites threw (the earliest piece's error).
    func wait() throws -> [[Found]] {
        done.wait()
        lock.lock()
        defer { lock.unlock() }
        return try found.get()
    }

    /// Whether every piece is measured and the matches made.
    var isDone: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Counts a piece about to be handed over; its number, to order failures.
    func adding() -> Int {
        lock.lock()
        defer { lock.unlock() }
        outstanding += 1
        pieces += 1
        return pieces - 1
    }

    /// No piece follows: the matches are made once the pieces handed over are measured (now,
    /// on this thread, when they already are).
    func seal() {
        lock.lock()
        sealed = true
        let last = outstanding == 0
        lock.unlock()
        if last { finish() }
    }

    /// Measures every candidate a handful of copied rows are, from each row's geometry, and
    /// reads into a site each row that some point finds within the radius; the last piece of
    /// a sealed chunk then makes the matches. Any thread, one piece at a time.
    func measure(_ piece: SiteRowCopies, number: Int, slots: [Int]) {
        lock.lock()
        let skip = failure != nil
        lock.unlock()
        var error: (any Error)?
        if !skip {
            do {
                // Each site measured from its geometry alone, and read whole (straight into its
                // slot) only when some point finds it within the radius: only those are handed over.
                for (r, slot) in slots.enumerated() {
                    let geometry = try piece.geometry(r)
                    var within = false
                    for i in slotStart[slot]..<slotStart[slot + 1] {
                        let c = Int(slotCandidates[i])
                        let p = points[start + Int(pointOfCandidate[c])]
                        distance[c] = Geodesic.wgs84.distance(from: p, to: geometry)
                        within = within || distance[c] <= radius
                    }
                    if within { sites[slot] = try piece.site(r, geometry: geometry) }
                }
            } catch let thrown {
                error = thrown
            }
        }
        lock.lock()
        outstanding -= 1
        if let error, failure.map({ number < $0.piece }) ?? true { failure = (number, error) }
        let last = sealed && outstanding == 0
        lock.unlock()
        if last { finish() }
    }

    /// Each point's candidates within `radius` (a candidate not measured is a site that
    /// failed the filter), nearest first, ties in fid order; then signals the chunk done.
    private func finish() {
        lock.lock()
        let failed = failure?.error
        lock.unlock()
        let result: Result<[[Found]], any Error>
        if let failed {
            result = .failure(failed)
        } else {
            var all: [[Found]] = []
            all.reserveCapacity(ends.count)
            var from = 0
            for upTo in ends {
                var matches: [Found] = []
                for c in from..<upTo where distance[c] <= radius {
                    matches.append(Found(distance: distance[c], fid: candidates[c], at: candidateSlots[c], treatment: .exact))
                    uses[candidateSlots[c]] += 1
                }
                from = upTo
                matches.sort(by: Found.nearerFirst)
                all.append(matches)
            }
            result = .success(all)
        }
        lock.lock()
        found = result
        finished = true
        lock.unlock()
        done.signal()
    }
}

/// The thread that measures `near`'s chunks: it takes the calling thread's copied rows as
/// they come, in order, reads them into sites and measures their candidates; the calling
/// thread, once it has read what it can, takes pieces too rather than wait idle.
///
/// ```swift
/// let worker = ChunkMeasureWorker()
/// defer { worker.stop() }
/// worker.measure(piece, slots: slots, of: work); work.seal()
/// let found = try worker.wait(for: work)
/// ```
/// A thread of its own, not a dispatch queue: the caller blocks in `wait(for:)`, and a job
/// queued behind a pool whose threads are all blocked (as the caller's may be) would never
/// run. Pieces are taken in the order given; `stop()` drops those not yet taken and ends the
/// thread.
final class ChunkMeasureWorker: @unchecked Sendable {
    private struct Job {
        var work: ChunkWork
        var piece: SiteRowCopies
        var number: Int
        var slots: [Int]
    }

    private let condition = NSCondition()
    /// Jobs handed over; those before `head` taken (nil: the queue lets go of each piece it
    /// hands out, so the piece comes back unshared).
    private var jobs: [Job?] = []
    private var head = 0
    private var stopped = false
    /// Pieces measured, emptied, kept for the calling thread to fill again (at most `kept`):
    /// a fresh piece of a few thousand rows is a megabyte of new pages, each a fault.
    private var spare: [SiteRowCopies] = []
    private static let kept = 8
    /// Pieces handed over and not yet taken, at most, before the calling thread measures one.
    private static let ahead = 2

    /// Pieces handed over and not yet taken.
    private var waiting: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count - head
    }

    init() {
        let thread = Thread { [self] in run() }
        thread.start()
    }

    /// An empty piece to copy rows into: one measured before when there is one (its storage
    /// kept), else a new one with room for `rows` rows. While more than `ahead` pieces wait
    /// to be measured, the calling thread measures them first (copying rows runs faster than
    /// reading them into sites: unchecked, it would run a whole chunk ahead, every piece new
    /// memory, rather than share the measuring).
    func emptyPiece(rows: Int) -> SiteRowCopies {
        while waiting > Self.ahead, let job = take(blocking: false) {
            job.work.measure(job.piece, number: job.number, slots: job.slots)
            keep(job.piece)
        }
        condition.lock()
        var piece = spare.popLast()
        condition.unlock()
        if piece == nil {
            piece = SiteRowCopies()
            piece?.reserve(rows: rows)
        }
        piece?.removeAll()
        return piece ?? SiteRowCopies()
    }

    /// Hands a piece of `work`'s copied rows, the rows of `slots`, to be measured.
    func measure(_ piece: SiteRowCopies, slots: [Int], of work: ChunkWork) {
        let number = work.adding()
        condition.lock()
        jobs.append(Job(work: work, piece: piece, number: number, slots: slots))
        condition.signal()
        condition.unlock()
    }

    /// `work`'s matches: measures pieces waiting to be taken (of any chunk, in order) until
    /// `work` is done or none is left, then waits for it.
    /// - Throws: as `ChunkWork.wait()`.
    func wait(for work: ChunkWork) throws -> [[ChunkWork.Found]] {
        while !work.isDone, let job = take(blocking: false) {
            job.work.measure(job.piece, number: job.number, slots: job.slots)
            keep(job.piece)
        }
        return try work.wait()
    }

    /// Ends the thread once its current job is done; jobs not yet taken are dropped.
    func stop() {
        condition.lock()
        stopped = true
        jobs = []
        head = 0
        spare = []
        condition.broadcast()
        condition.unlock()
    }

    /// The next job, nil once stopped (or, not blocking, when none is waiting).
    private func take(blocking: Bool) -> Job? {
        condition.lock()
        defer { condition.unlock() }
        while blocking, head == jobs.count, !stopped { condition.wait() }
        guard !stopped, head < jobs.count else { return nil }
        let job = jobs[head]
        jobs[head] = nil
        head += 1
        if head > 64, head * 2 > jobs.count {
            jobs.removeFirst(head)
            head = 0
        }
        return job
    }

    /// Keeps a measured piece for `emptyPiece(rows:)`.
    private func keep(_ piece: SiteRowCopies) {
        condition.lock()
        defer { condition.unlock() }
        if !stopped, spare.count < Self.kept { spare.append(piece) }
    }

    private func run() {
        while let job = take(blocking: true) {
            job.work.measure(job.piece, number: job.number, slots: job.slots)
            keep(job.piece)
        }
    }
}
