import GRDB

/// `sites_dataset_source_key` built from keys sorted here, for a batch that set it aside
/// (`UniqueIndexes`), as `SortedUUIDIndex` builds the uuid index.
///
/// ```swift
/// var keys = SortedSourceKeyIndex.Keys()
/// keys.append(dataset: site.dataset, sourceKey: site.sourceKey, fid: fid)   // every row written
/// let built = try SortedSourceKeyIndex.build(db, written: &keys, storedThrough: lastFidBefore)
/// ```
/// `CREATE INDEX` scans the table for the keys (every row of 25 columns) and sorts them
/// with SQLite's sorter: 1.3 s for 1M sites. Here the batch's keys are kept as it writes
/// them, the stored ones read once, all sorted in memory in SQLite's order for text (bytes,
/// then length) and written into the index's b-tree (`SortedIndexTable`).
///
/// Used only when every site, stored or new, has both a dataset and a source key as text (a
/// WITHOUT ROWID key cannot hold NULL) and no key repeats: otherwise `build` writes nothing
/// and returns false, and the caller creates the index with SQL (which names a repeat).
/// - Complexity: O(n log n) for n sites; memory 40 bytes a site and the source keys' bytes.
enum SortedSourceKeyIndex {
    static let table = SortedIndexTable(index: StoreSchema.sourceKeyIndex,
                                        columns: ["dataset TEXT NOT NULL", "source_key TEXT NOT NULL"])

    /// One site's key: its dataset (its place in `Keys.datasets`) and its source key's bytes in `Keys.bytes`, with their first eight as a
    /// big-endian number for quick comparison.
    struct Entry {
        var dataset: UInt32
        let length: UInt32
        let offset: Int
        let prefix: UInt64
        let fid: Int64
    }

    /// The keys of the sites written, as they are written.
    struct Keys {
        /// Each distinct dataset's bytes (compared as bytes: String equality would merge
        /// texts SQLite holds apart, such as two spellings of an accented letter).
        private(set) var datasets: [[UInt8]] = []
        private var datasetIndex: [[UInt8]: UInt32] = [:]
        /// The dataset of the last key appended (most batches have one).
        private var lastDataset: UInt32?
        /// Every source key's bytes, one after the other.
        private(set) var bytes: [UInt8] = []
        private(set) var entries: [Entry] = []
        /// False once a site without a dataset or source key was seen (then nothing is kept).
        private(set) var complete = true

        init(expectedRows: Int = 0) {
            entries.reserveCapacity(expectedRows)
        }

        mutating func append(dataset: String?, sourceKey: String?, fid: Int64) {
            guard complete else { return }
            guard var dataset, var sourceKey else {
                complete = false
                (entries, bytes, datasets, datasetIndex) = ([], [], [], [:])
                return
            }
            dataset.withUTF8 { dataset in
                sourceKey.withUTF8 { append(dataset: UnsafeRawBufferPointer(dataset), sourceKey: UnsafeRawBufferPointer($0), fid: fid) }
            }
        }

        /// A key as UTF-8 bytes (a stored site's, from SQLite's text).
        mutating func append(dataset: UnsafeRawBufferPointer, sourceKey: UnsafeRawBufferPointer, fid: Int64) {
            guard complete else { return }
            let index: UInt32
            if let last = lastDataset, datasets[Int(last)].elementsEqual(dataset) {
                index = last
            } else if let known = datasetIndex[Array(dataset)] {
                index = known
            } else {
                index = UInt32(datasets.count)
                datasets.append(Array(dataset))
                datasetIndex[Array(dataset)] = index
            }
            lastDataset = index
            var prefix: UInt64 = 0
            for i in 0..<8 { prefix = prefix << 8 | UInt64(i < sourceKey.count ? sourceKey[i] : 0) }
            entries.append(Entry(dataset: index, length: UInt32(sourceKey.count), offset: bytes.count, prefix: prefix, fid: fid))
            bytes.append(contentsOf: sourceKey)
        }

        /// Sorts the entries by dataset, source key (bytes, then length) and fid, and the
        /// datasets by their bytes (the entries' `dataset` follows).
        /// - Returns: whether a key repeats.
        mutating func sortFindingRepeats() -> Bool {
            let order = datasets.indices.sorted { datasets[$0].lexicographicallyPrecedes(datasets[$1]) }
            var rank = [UInt32](repeating: 0, count: datasets.count)
            for (r, i) in order.enumerated() { rank[i] = UInt32(r) }
            for i in entries.indices { entries[i].dataset = rank[Int(entries[i].dataset)] }
            datasets = order.map { datasets[$0] }
            datasetIndex = Dictionary(uniqueKeysWithValues: datasets.enumerated().map { ($1, UInt32($0)) })
            lastDataset = nil
            let bytes = self.bytes
            return bytes.withUnsafeBytes { bytes -> Bool in
                /// The order of two source keys: negative, zero or positive.
                func compare(_ a: Entry, _ b: Entry) -> Int {
                    if a.prefix != b.prefix { return a.prefix < b.prefix ? -1 : 1 }
                    if a.length <= 8 && b.length <= 8 { return Int(a.length) - Int(b.length) }
                    let common = Int(min(a.length, b.length))
                    for i in 8..<max(8, common) where bytes[a.offset + i] != bytes[b.offset + i] {
                        return bytes[a.offset + i] < bytes[b.offset + i] ? -1 : 1
                    }
                    return Int(a.length) - Int(b.length)
                }
                entries.sort { a, b in
                    if a.dataset != b.dataset { return a.dataset < b.dataset }
                    let c = compare(a, b)
                    return c != 0 ? c < 0 : a.fid < b.fid
                }
                return entries.indices.dropFirst().contains { i in
                    entries[i].dataset == entries[i - 1].dataset && compare(entries[i], entries[i - 1]) == 0
                }
            }
        }
    }

    /// Builds the index from the keys of every row with a fid above `storedThrough` and the
    /// keys stored up to it.
    /// - Returns: whether the index was built (false: nothing was written).
    static func build(_ db: Database, written keys: inout Keys, storedThrough: Int64) throws -> Bool {
        guard keys.complete else { return false }
        if storedThrough > 0 {
            let read = try RawStatement(db, "SELECT dataset, source_key, fid FROM sites WHERE fid <= ?")
            read.bind(1, storedThrough)
            while try read.step() {
                guard let dataset = read.textBytes(0), let sourceKey = read.textBytes(1) else { return false }
                keys.append(dataset: dataset, sourceKey: sourceKey, fid: read.int64(2))
            }
        }
        guard !keys.sortFindingRepeats(), try table.create(db) else { return false }
        let entries = keys.entries, datasets = keys.datasets
        try keys.bytes.withUnsafeBytes { bytes in
            try table.fill(db, count: entries.count) { statement, parameter, i in
                let entry = entries[i], dataset = datasets[Int(entry.dataset)]
                statement.bindStagedText(parameter, byteCount: dataset.count) { $0.copyBytes(from: dataset) }
                statement.bindStagedText(parameter + 1, byteCount: Int(entry.length)) {
                    $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[entry.offset..<(entry.offset + Int(entry.length))]))
                }
                statement.bind(parameter + 2, entry.fid)
            }
        }
        return true
    }
}
