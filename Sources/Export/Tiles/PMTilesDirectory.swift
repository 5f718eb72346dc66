/// PMTiles v3 directories: entries, their varint serialisation, and the root/leaf split.
struct PMTilesEntry: Hashable, Sendable {
    var tileID: UInt64
    var offset: UInt64
    var length: UInt32
    /// Consecutive tile ids sharing these bytes; 0 marks a pointer to a leaf directory.
    var runLength: UInt32
}

enum PMTilesDirectory {
    /// The uncompressed directory bytes: count, delta tile ids, run lengths, lengths, offsets
    /// (0 when an entry directly follows the previous one, else offset + 1).
    ///
    /// - Complexity: O(n).
    static func serialize(_ entries: [PMTilesEntry]) -> [UInt8] {
        var w = ProtobufWriter()
        w.writeVarint(UInt64(entries.count))
        var last: UInt64 = 0
        for e in entries {
            w.writeVarint(e.tileID - last)
            last = e.tileID
        }
        for e in entries { w.writeVarint(UInt64(e.runLength)) }
        for e in entries { w.writeVarint(UInt64(e.length)) }
        for (i, e) in entries.enumerated() {
            if i > 0, e.offset == entries[i - 1].offset + UInt64(entries[i - 1].length) {
                w.writeVarint(0)
            } else {
                w.writeVarint(e.offset + 1)
            }
        }
        return w.bytes
    }

    /// Root and leaf directories, gzip-compressed, the root small enough for the first 16 KiB.
    ///
    /// Leaves hold `leafSize` entries each, starting at 4096 and doubling until the root fits.
    static func build(_ entries: [PMTilesEntry], rootLimit: Int) throws -> (root: [UInt8], leaves: [UInt8]) {
        let root = try Gzip.compress(serialize(entries))
        if root.count <= rootLimit { return (root, []) }
        var leafSize = 4096
        while true {
            var leaves: [UInt8] = []
            var pointers: [PMTilesEntry] = []
            var start = 0
            while start < entries.count {
                let end = min(entries.count, start + leafSize)
                let leaf = try Gzip.compress(serialize(Array(entries[start..<end])))
                pointers.append(PMTilesEntry(
                    tileID: entries[start].tileID, offset: UInt64(leaves.count),
                    length: UInt32(leaf.count), runLength: 0))
                leaves.append(contentsOf: leaf)
                start = end
            }
            let root = try Gzip.compress(serialize(pointers))
            if root.count <= rootLimit { return (root, leaves) }
            leafSize *= 2
        }
    }
}
