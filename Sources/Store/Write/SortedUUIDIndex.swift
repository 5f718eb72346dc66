import Foundation
import GRDB

/// `sites_uuid` built from ids sorted here, for a batch that set it aside (`UniqueIndexes`).
///
/// ```swift
/// var keys = [SortedUUIDIndex.Key(site.id, fid: fid), …]      // every row the batch wrote
/// let built = try SortedUUIDIndex.build(db, written: &keys, storedThrough: lastFidBefore)
/// ```
/// `CREATE INDEX` hands every row's key to SQLite's sorter, whose merge of a million random
/// 36-character ids took 2.3 s, most of it waiting on memory. Here the ids are sorted as
/// 128-bit numbers — the order of their upper-case text, which is SQLite's order for them —
/// and written in that order into the index's b-tree (`SortedIndexTable`): 1M ids in 1.05 s,
/// of which the sort 0.16 s.
///
/// Used only when every id stored before the batch is a UUID in the store's text form
/// (upper-case hex, 8-4-4-4-12), so that equal numbers mean equal text, and no id repeats:
/// otherwise `build` writes nothing and returns false, and the caller creates the index with
/// SQL (which names a repeated id).
/// - Complexity: O(n log n) for n sites in the table, the sort in memory (24 bytes a site).
enum SortedUUIDIndex {
    static let table = SortedIndexTable(index: StoreSchema.uuidIndex, columns: ["uuid TEXT NOT NULL"])

    /// An id as a 128-bit number (big-endian halves), with its row.
    struct Key: Comparable {
        let high: UInt64
        let low: UInt64
        let fid: Int64

        init(_ id: UUID, fid: Int64) {
            (high, low) = withUnsafeBytes(of: id.uuid) { raw in
                (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                 UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
            }
            self.fid = fid
        }

        /// The key of an id stored as text, if the text is a UUID in upper-case hex,
        /// 8-4-4-4-12 (other text sorts differently: no key).
        init?(text: UnsafeRawBufferPointer, fid: Int64) {
            guard text.count == 36 else { return nil }
            var halves: (UInt64, UInt64) = (0, 0)
            var nibbles = 0
            for (i, byte) in text.enumerated() {
                if i == 8 || i == 13 || i == 18 || i == 23 {
                    guard byte == UInt8(ascii: "-") else { return nil }
                    continue
                }
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
                default: return nil
                }
                if nibbles < 16 { halves.0 = halves.0 << 4 | UInt64(value) } else { halves.1 = halves.1 << 4 | UInt64(value) }
                nibbles += 1
            }
            (high, low, self.fid) = (halves.0, halves.1, fid)
        }

        static func < (a: Key, b: Key) -> Bool {
            (a.high, a.low, a.fid) < (b.high, b.low, b.fid)
        }

        func sameID(as other: Key) -> Bool {
            high == other.high && low == other.low
        }
    }

    /// Builds the index from `written` (the keys of every row with a fid above
    /// `storedThrough`, sorted here in place) and the ids stored up to `storedThrough`.
    /// - Returns: whether the index was built (false: nothing was written).
    static func build(_ db: Database, written keys: inout [Key], storedThrough: Int64) throws -> Bool {
        if storedThrough > 0 {
            let read = try RawStatement(db, "SELECT uuid, fid FROM sites WHERE fid <= ?")
            read.bind(1, storedThrough)
            while try read.step() {
                guard let text = read.textBytes(0), let key = Key(text: text, fid: read.int64(1)) else { return false }
                keys.append(key)
            }
        }
        keys.sort()
        for i in keys.indices.dropFirst() where keys[i].sameID(as: keys[i - 1]) { return false }
        guard try table.create(db) else { return false }
        try table.fill(db, count: keys.count) { statement, parameter, i in
            let key = keys[i]
            statement.bindStagedText(parameter, byteCount: UUID.textLength) { UUID(high: key.high, low: key.low).writeText(to: $0) }
            statement.bind(parameter + 1, key.fid)
        }
        return true
    }
}
