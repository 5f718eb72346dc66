import Dispatch
import GRDB
import Foundation

/// Content hashes of many rows, computed on a thread of its own while the writer goes on:
/// the writer gives each row's values (`ContentHash.writeValues`, which reads the statement)
/// and they are gathered in chunks; one serial queue puts in the keys
/// (`ContentHash.interleave`) and hashes each chunk into that chunk's own place. At most two
/// chunks are in hand at once, so memory stays bounded whatever the number of rows (the
/// hashes themselves take `ContentHash.size` bytes a row).
///
/// ```swift
/// let pipeline = HashPipeline(.site)
/// while try select.step() { pipeline.add { hasher.writeValues(select, from: 1, to: $0) } }
/// pipeline.finish()
/// let hashOfRow3 = pipeline.hash(3)      // nil before finish
/// ```
/// Used from one thread (the writer's). The hashes are there once `finish` has returned; a
/// pipeline that is let go without `finish` waits for its queue before it frees anything.
final class HashPipeline {
    static let rowsPerChunk = 1024
    /// The rows given so far.
    private(set) var rows = 0
    /// The kind of the rows, given as `ContentHash.writeValues` writes them.
    private let kind: AuditedKind
    /// Chunk k's hashes: `rowsPerChunk` slots of `ContentHash.size` bytes.
    private var outputs: [UnsafeMutableRawPointer] = []
    private var chunk: Chunk?
    private let queue = DispatchQueue(label: "graveatlas.audit.hash")
    private let group = DispatchGroup()
    private let inHand = DispatchSemaphore(value: 2)
    private var finished = false

    init(_ kind: AuditedKind) {
        self.kind = kind
    }

    deinit {
        group.wait()
        // A chunk begun and never submitted (the writer stopped on an error) still holds its
        // place: given back, as libdispatch requires a semaphore to be at its first value
        // when it is freed.
        if chunk != nil { inHand.signal() }
        for output in outputs { output.deallocate() }
    }

    /// The bytes of some rows, and where each row's bytes end.
    private final class Chunk: @unchecked Sendable {
        let input = ContentHash.ByteBuffer()
        var ends: [Int] = []
    }

    /// Where one chunk's hashes go (memory no other chunk writes, freed only after the queue
    /// is done).
    private struct Destination: @unchecked Sendable {
        let start: UnsafeMutableRawPointer
    }

    /// Adds one row: `write` appends its values. (A row added after `finish` is hashed by
    /// the next `finish`.)
    func add(_ write: (ContentHash.ByteBuffer) -> Void) {
        finished = false
        if chunk == nil {
            inHand.wait()
            chunk = Chunk()
            outputs.append(UnsafeMutableRawPointer.allocate(byteCount: Self.rowsPerChunk * ContentHash.size, alignment: 8))
        }
        guard let current = chunk else { return }
        write(current.input)
        current.ends.append(current.input.count)
        rows += 1
        if current.ends.count == Self.rowsPerChunk {
            submit(current)
            chunk = nil
        }
    }

    /// Hashes what is left and waits until every row given is hashed.
    func finish() {
        if let chunk {
            submit(chunk)
            self.chunk = nil
        }
        finished = true
        group.wait()
    }

    /// Row `row`'s hash (`ContentHash.size` bytes), nil before `finish` or for no such row.
    func hash(_ row: Int) -> UnsafeRawBufferPointer? {
        guard finished, row >= 0, row < rows else { return nil }
        return UnsafeRawBufferPointer(start: outputs[row / Self.rowsPerChunk] + (row % Self.rowsPerChunk) * ContentHash.size,
                                      count: ContentHash.size)
    }

    private func submit(_ full: Chunk) {
        guard let last = outputs.last else { return }
        let destination = Destination(start: last)
        let kind = kind
        let inHand = inHand
        queue.async(group: group) {
            let hasher = ContentHash(kind)
            let row = ContentHash.ByteBuffer()
            var start = 0
            for (k, end) in full.ends.enumerated() {
                row.count = 0
                hasher.interleave(UnsafeRawBufferPointer(start: full.input.base + start, count: end - start), to: row)
                ContentHash.hash(UnsafeRawBufferPointer(start: row.base, count: row.count),
                                 into: destination.start + k * ContentHash.size)
                start = end
            }
            inHand.signal()
        }
    }
}
