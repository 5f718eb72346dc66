/// Sorts more records than should be held in memory: they are taken a chunk at a time, each
/// chunk sorted and written to a temporary file (a run), and the runs merged into one
/// `RecordFile` at the end. Records that `combine` joins (the same cell twice) become one, in
/// each chunk and again while merging.
///
/// ```swift
/// var sort = ExternalSort<Cell>(by: { $0.key < $1.key }, combine: { kept, next in
///     guard kept.key == next.key else { return false }
///     kept.count += next.count
///     return true
/// })
/// for cell in cells { try sort.append(cell) }
/// let sorted = try sort.finish()     // a RecordFile, in order, one record per key
/// ```
/// Records that compare equal and are not combined keep no promised order among themselves:
/// give the order a last tie-breaker (an id) where it matters.
///
/// - Complexity: O(n log n) comparisons; memory one chunk (`chunkSize` records, 64 Ki by
///   default) while taking records, one 64 KiB buffer per run while merging.
public struct ExternalSort<Record: BitwiseCopyable> {
    private let areInIncreasingOrder: (Record, Record) -> Bool
    private let combine: ((inout Record, Record) -> Bool)?
    private let chunkSize: Int
    private var chunk: [Record] = []
    /// The runs written so far, one after the other in one file; `runEnds` marks where each ends.
    private var runs: RecordFile<Record>.Writer?
    private var runEnds: [Int] = []

    /// `combine(&kept, next)` joins `next` into `kept` and returns true when they are one
    /// record's parts; it is asked only of neighbours in the order.
    public init(chunkSize: Int = 1 << 16, by areInIncreasingOrder: @escaping (Record, Record) -> Bool,
                combine: ((inout Record, Record) -> Bool)? = nil) {
        self.areInIncreasingOrder = areInIncreasingOrder
        self.combine = combine
        self.chunkSize = max(2, chunkSize)
    }

    /// Records taken so far, before any were combined.
    public private(set) var count = 0

    public mutating func append(_ record: Record) throws {
        if chunk.isEmpty { chunk.reserveCapacity(chunkSize) }
        chunk.append(record)
        count += 1
        if chunk.count == chunkSize { try spill() }
    }

    /// The records in order, combined; the sort is spent.
    public mutating func finish() throws -> RecordFile<Record> {
        let out = try RecordFile<Record>.Writer()
        if runs == nil {
            // Everything fit in one chunk: no run to merge.
            sortChunk()
            try out.append(contentsOf: chunk)
            chunk = []
            return try out.finish()
        }
        try spill()
        guard let writer = runs else { return try out.finish() }
        runs = nil
        let file = try writer.finish()
        var cursors: [Cursor] = []
        var start = 0
        for end in runEnds {
            if end > start { cursors.append(Cursor(file: file, next: start, end: end)) }
            start = end
        }
        // A binary heap of the cursors, by their current record.
        let less = areInIncreasingOrder
        var heap: [Cursor] = []
        for var c in cursors where try c.fill() { heap.append(c); siftUp(&heap, heap.count - 1, less) }
        var pending: Record?
        while var top = heap.first {
            let record = top.current
            if var kept = pending {
                if let combine, combine(&kept, record) { pending = kept } else { try out.append(kept); pending = record }
            } else {
                pending = record
            }
            if try top.advance() {
                heap[0] = top
            } else {
                let last = heap.removeLast()
                if heap.isEmpty { break }
                heap[0] = last
            }
            siftDown(&heap, 0, less)
        }
        if let pending { try out.append(pending) }
        return try out.finish()
    }

    /// Sorts the chunk and joins the neighbours `combine` joins.
    private mutating func sortChunk() {
        chunk.sort(by: areInIncreasingOrder)
        guard let combine, chunk.count > 1 else { return }
        var kept = 0
        for i in 1 ..< chunk.count {
            var joined = chunk[kept]
            if combine(&joined, chunk[i]) {
                chunk[kept] = joined
            } else {
                kept += 1
                chunk[kept] = chunk[i]
            }
        }
        chunk.removeSubrange((kept + 1)...)
    }

    private mutating func spill() throws {
        guard !chunk.isEmpty else { return }
        sortChunk()
        let writer = try runs ?? RecordFile<Record>.Writer()
        runs = writer
        try writer.append(contentsOf: chunk)
        runEnds.append(writer.count)
        chunk.removeAll(keepingCapacity: true)
    }

    /// One run being merged: its next records, read 64 KiB at a time.
    private struct Cursor {
        let file: RecordFile<Record>
        var next: Int
        let end: Int
        var buffer: [Record] = []
        var position = 0

        init(file: RecordFile<Record>, next: Int, end: Int) {
            self.file = file
            self.next = next
            self.end = end
        }

        var current: Record { buffer[position] }

        /// Reads the next buffer; false when the run is done.
        mutating func fill() throws -> Bool {
            guard next < end else { return false }
            let n = min(max(1, (64 << 10) / MemoryLayout<Record>.stride), end - next)
            buffer.removeAll(keepingCapacity: true)
            var remaining = n
            try file.forEach(from: next) { r in
                buffer.append(r)
                remaining -= 1
                return remaining > 0
            }
            next += n
            position = 0
            return !buffer.isEmpty
        }

        /// Moves to the next record; false when the run is done.
        mutating func advance() throws -> Bool {
            position += 1
            return position < buffer.count ? true : try fill()
        }
    }

    private func siftUp(_ heap: inout [Cursor], _ index: Int, _ less: (Record, Record) -> Bool) {
        var i = index
        while i > 0 {
            let parent = (i - 1) / 2
            guard less(heap[i].current, heap[parent].current) else { return }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    private func siftDown(_ heap: inout [Cursor], _ index: Int, _ less: (Record, Record) -> Bool) {
        var i = index
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < heap.count, less(heap[l].current, heap[smallest].current) { smallest = l }
            if r < heap.count, less(heap[r].current, heap[smallest].current) { smallest = r }
            if smallest == i { return }
            heap.swapAt(i, smallest)
            i = smallest
        }
    }
}
