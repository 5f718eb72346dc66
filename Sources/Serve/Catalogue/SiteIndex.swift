import Export
import Geometry
import Store

/// The sites one audience may see, in the order its answers list them, with what its filters
/// read: built from one snapshot of the store and kept while the store does not change.
///
/// ```swift
/// let index = try SiteIndex(snapshot: snap, policy: policy, columns: columns, mark: 42)
/// index.entries.count            // the sites shown (withheld ones are absent)
/// index.position(after: key)     // where the page after `key` starts: a binary search
/// ```
/// At `public` and `partner` the order is `PublishedOrder` (the published cell, then a salted
/// hash of the id) and every value kept here is what the audience sees: a generalised site's
/// box is its cell centre, its fields only those generalisation keeps, and it has no dates.
/// At `internal` the order is the store's (by `fid`), as in exports.
/// - Complexity: building is one pass over the store and one SHA-256 per site, then a sort;
///   memory about 100 bytes a site.
struct SiteIndex: Sendable {
    struct Entry: Sendable {
        var key: PublishedOrder.Key
        var fid: Int64
        /// The published geometry's box.
        var box: BoundingBox
        var siteType: String?
        var status: String?
        var condition: String?
        /// First and last day (`YYYY-MM-DD`) of the site's date and events; nil when it has
        /// none or the audience sees none.
        var span: (from: String, to: String)?
    }

    let mark: Int64
    /// The published order's salt the index was sorted with (it is made once, unaudited, by
    /// the first writer that needs it: a kept index is checked against it too).
    let salt: String
    let policy: SafeguardingPolicy
    let columns: OutputColumns
    let entries: [Entry]
    /// The union of the shown sites' published boxes.
    let extent: BoundingBox?
    /// The first and last day among the shown sites' spans.
    let temporalExtent: (from: String, to: String)?

    init(snapshot: SiteSnapshot, policy: SafeguardingPolicy, columns: OutputColumns, mark: Int64) throws {
        self.mark = mark
        salt = try snapshot.orderSalt()
        self.policy = policy
        self.columns = columns
        let view = policy.view
        let ordered = PublishedOrder.applies(to: view.audience)
        let order = ordered ? PublishedOrder(view: view, storeGrid: try snapshot.grid(), salt: salt) : nil
        let spans = try snapshot.eventSpans()
        let kept = view.generalisedFields
        var entries: [Entry] = []
        try snapshot.forEachSiteWithoutNames { fid, site in
            let treatment = view.treatment(of: site.sensitivity)
            guard treatment != .withheld, let box = view.publishedGeometry(of: site)?.boundingBox else { return }
            let exact = treatment == .exact
            let key = order?.key(for: site) ?? PublishedOrder.Key(cellRow: 0, cellColumn: 0, hash: UInt64(bitPattern: fid))
            var span: (from: String, to: String)?
            if exact {
                span = site.date.map { ($0.earliest, $0.latest) }
                if let events = spans[site.id] {
                    span = span.map { (min($0.from, events.from), max($0.to, events.to)) } ?? events
                }
            }
            entries.append(Entry(
                key: key, fid: fid, box: box,
                siteType: exact || kept.contains(SiteType.field) ? site.type.rawValue : nil,
                status: exact || kept.contains(SiteStatus.field) ? site.status.rawValue : nil,
                condition: exact || kept.contains(SiteCondition.field) ? site.condition.rawValue : nil,
                span: span))
        }
        // Ties (the same key twice cannot happen but for a hash collision) in fid order.
        entries.sort { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid }
        self.entries = entries
        var extent: BoundingBox?
        var first: String?, last: String?
        for e in entries {
            if extent == nil { extent = e.box } else { extent?.extend(e.box) }
            if let s = e.span {
                first = first.map { min($0, s.from) } ?? s.from
                last = last.map { max($0, s.to) } ?? s.to
            }
        }
        self.extent = extent
        temporalExtent = first.flatMap { f in last.map { (f, $0) } }
    }

    /// The position of the first entry whose key is greater than `key` (0 for nil).
    ///
    /// - Complexity: O(log n).
    func position(after key: PublishedOrder.Key?) -> Int {
        guard let key else { return 0 }
        var low = 0, high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].key <= key { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
