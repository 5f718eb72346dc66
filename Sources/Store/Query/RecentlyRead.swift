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
/// Values are kept boxed: a dictionary entry is two words however large the value (a `Site`
/// is a few hundred bytes), so a generation's table stays small and moving values between
/// generations copies references, not sites.
/// - Complexity: O(1) amortised.
struct RecentlyRead<Value> {
    private final class Box {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    let capacity: Int
    private var young: [Int64: Box] = [:]
    private var old: [Int64: Box] = [:]

    init(capacity: Int) {
        self.capacity = capacity
    }

    subscript(fid: Int64) -> Value? {
        mutating get {
            if let box = young[fid] { return box.value }
            guard let box = old.removeValue(forKey: fid) else { return nil }
            keep(box, fid)
            return box.value
        }
    }

    mutating func keep(_ fid: Int64, _ value: Value) {
        keep(Box(value), fid)
    }

    private mutating func keep(_ box: Box, _ fid: Int64) {
        if young.count >= capacity {
            old = young
            young = [:]
            young.reserveCapacity(capacity)
        }
        young[fid] = box
    }
}
