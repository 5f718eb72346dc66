import Export
import Foundation
import TestSupport
import Testing

/// Records sorted through runs on disk come back as an in-memory sort gives them, combined the
/// same way, whatever the chunk size; a record file reads back what was written, by position,
/// from a position on, and by binary search.
@Suite struct ExternalSortTests {
    struct Pair: BitwiseCopyable, Equatable, CustomStringConvertible {
        var key: Int64
        var count: Int64
        var description: String { "\(key)×\(count)" }
    }

    /// The oracle: sorted in memory, neighbours with one key summed.
    static func summed(_ records: [Pair]) -> [Pair] {
        var out: [Pair] = []
        for r in records.sorted(by: { $0.key < $1.key }) {
            if let last = out.last, last.key == r.key { out[out.count - 1].count += r.count } else { out.append(r) }
        }
        return out
    }

    static func read(_ file: RecordFile<Pair>, from position: Int = 0) throws -> [Pair] {
        var out: [Pair] = []
        try file.forEach(from: position) { out.append($0); return true }
        return out
    }

    @Test(arguments: [2, 3, 17, 1000, 1 << 16])
    func runsOnDiskGiveTheInMemorySort(chunkSize: Int) throws {
        var rng = SplitMix64(seed: UInt64(chunkSize))
        // Clustered keys: most records share a few hundred keys, as graves share a cemetery's cell.
        let records = (0 ..< 5_000).map { _ in
            Pair(key: Bool.random(using: &rng) ? Int64.random(in: 0 ..< 300, using: &rng) : Int64.random(in: -1_000_000 ..< 1_000_000, using: &rng),
                 count: Int64.random(in: 1 ... 9, using: &rng))
        }
        var sort = ExternalSort<Pair>(chunkSize: chunkSize, by: { $0.key < $1.key }, combine: { kept, next in
            guard kept.key == next.key else { return false }
            kept.count += next.count
            return true
        })
        for r in records { try sort.append(r) }
        #expect(sort.count == records.count)
        let file = try sort.finish()
        let expected = Self.summed(records)
        #expect(try Self.read(file) == expected)
        #expect(file.count == expected.count)
        #expect(file.count < records.count)   // the clustered keys were combined
        // Without combining, every record comes back, in order.
        var plain = ExternalSort<Pair>(chunkSize: chunkSize, by: { ($0.key, $0.count) < ($1.key, $1.count) })
        for r in records { try plain.append(r) }
        let all = try Self.read(try plain.finish())
        #expect(all == records.sorted { ($0.key, $0.count) < ($1.key, $1.count) })
    }

    @Test func aRecordFileReadsBackByPositionAndBySearch() throws {
        let writer = try RecordFile<Pair>.Writer()
        // More than one write buffer and more than one read batch.
        let records = (0 ..< 40_000).map { Pair(key: Int64($0) * 3, count: Int64($0 % 7)) }
        try writer.append(contentsOf: records)
        let file = try writer.finish()
        #expect(file.count == records.count)
        for i in [0, 1, 4095, 4096, 16_383, 16_384, 39_999] {
            #expect(try file[i] == records[i])
        }
        #expect(try Self.read(file, from: 39_990) == Array(records[39_990...]))
        #expect(try Self.read(file, from: 40_000).isEmpty)
        for key in [Int64(-1), 0, 1, 3, 59_997, 119_997, 119_998, 200_000] {
            let expected = records.firstIndex { $0.key >= key } ?? records.count
            #expect(try file.partitionPoint { $0.key < key } == expected, "\(key)")
        }
        #expect(throws: ExportError.self) { try file[40_000] }
        #expect(throws: ExportError.self) { try file[-1] }
    }

    @Test func anEmptySortIsAnEmptyFile() throws {
        var sort = ExternalSort<Pair>(chunkSize: 4, by: { $0.key < $1.key })
        #expect(try sort.finish().count == 0)
    }
}
