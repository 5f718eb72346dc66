import Dispatch
import GRDB
import Foundation

/// Content hashes of many rows, computed on a thread of its own while the writer reads the
/// next rows: the writer gives each row's values (`ContentHash.writeValues`, which reads the
/// statement) in chunks, and one serial queue puts in the keys (`ContentHash.interleave`) and
/// hashes each chunk into its place in `hashes`. At most two chunks are in
/// hand at once, so memory stays bounded whatever the number of rows.
///
/// ```swift
/// let pipeline = HashPipeline(.site, rows: n)
/// try pipeline.run { add in while try select.step() { try add { hasher.writeValues(select, from: 1, to: $0) } } }
/// let hashOfRow3 = UnsafeRawBufferPointer(start: pipeline.hashes + 3 * ContentHash.size, count: ContentHash.size)
/// ```
/// `run` returns only when every chunk given has been hashed, also when it throws.
final class HashPipeline {
    /// Row k's hash at `k * ContentHash.size`.
    let hashes: UnsafeMutableRawPointer
    let capacity: Int
    private(set) var rows = 0
    static let rowsPerChunk = 1024

    /// The kind of the rows, given as `ContentHash.writeValues` writes them.
    private let kind: AuditedKind

    init(_ kind: AuditedKind, rows: Int) {
        self.kind = kind
        capacity = rows
        hashes = UnsafeMutableRawPointer.allocate(byteCount: max(rows, 1) * ContentHash.size, alignment: 8)
    }

    deinit { hashes.deallocate() }

    /// The bytes of some rows, and where each row's bytes end.
    private final class Chunk: @unchecked Sendable {
        let input = ContentHash.ByteBuffer()
        var ends: [Int] = []
        let firstRow: Int
        init(firstRow: Int) { self.firstRow = firstRow }
    }

    /// Where one chunk's hashes go (a part of `hashes` no other chunk writes).
    private struct Destination: @unchecked Sendable {
        let start: UnsafeMutableRawPointer
    }

    /// Calls `body` with `add`, which takes one row: a closure that appends the row's bytes.
    /// Throws when more rows are added than the pipeline was made for.
    func run(_ body: (_ add: ((ContentHash.ByteBuffer) -> Void) throws -> Void) throws -> Void) throws {
        let queue = DispatchQueue(label: "graveatlas.audit.hash")
        let group = DispatchGroup()
        let inHand = DispatchSemaphore(value: 2)
        defer { group.wait() }
        var chunk: Chunk?
        func submit(_ full: Chunk) {
            let destination = Destination(start: hashes + full.firstRow * ContentHash.size)
            let kind = kind
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
        try body { write in
            guard rows < capacity else {
                throw DatabaseError(resultCode: .SQLITE_INTERNAL, message: "more new sites than counted (\(capacity))")
            }
            if chunk == nil {
                inHand.wait()
                chunk = Chunk(firstRow: rows)
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
        if let chunk { submit(chunk) }
    }
}
