/// What a query read lately, by fid, in two generations: a value is kept while it is used
/// again within about `capacity` other reads, and memory never holds more than twice
/// `capacity` values, however many results a query gives.
///
/// ```swift
/// var recent = RecentlyRead<Site>(capacity: 32_768)
/// if let site = recent[fid] { … } else { recent.keep(fid, try read(fid)) }
/// ```
/// A cheap stand-in for least-recently-used: when the young generation fills, it becomes the
/// old one and the old one is dropped; a value found in the old generation moves back.
/// - Complexity: O(1) amortised.
struct RecentlyRead<Value> {
    let capacity: Int
    private var young: [Int64: Value] = [:]
    private var old: [Int64: Value] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(fid: Int64) -> Value? {
        mutating get {
            if let value = young[fid] { return value }
            guard let value = old.removeValue(forKey: fid) else { return nil }
            keep(fid, value)
            return value
        }
    }

    mutating func keep(_ fid: Int64, _ value: Value) {
        if young.count >= capacity {
            old = young
            young = [:]
            young.reserveCapacity(capacity)
        }
        young[fid] = value
    }
}
