import Export
import Geometry
import Store

/// The sites one audience may see, in the order its answers list them, with what its filters
/// read: built from one snapshot of the store and kept while the store does not change.
///
/// ```swift
/// let index = try SiteIndex(snapshot: snap, policy: policy, columns: columns, state: state)
/// index.entries.count            // the sites shown (withheld ones are absent)
/// try index.position(after: key) // where the page after `key` starts: a binary search
/// ```
/// At `public` and `partner` the order is `PublishedOrder` (the published cell, then a salted
/// hash of the id) and every value kept here is what the audience sees: a generalised site's
/// box is its cell centre, its fields only those generalisation keeps, and it has no dates.
/// At `internal` the order is the store's (by `fid`), as in exports.
/// - Complexity: building is one pass over the store and one SHA-256 per site, then a sort on
///   disk (`ExternalSort`). The entries, 80 bytes a site, are kept in a temporary file
///   (`RecordFile`), not in memory: what the index holds in memory is its distinct days and one
///   sort chunk while it is built, whatever the store's size.
struct SiteIndex: Sendable {
    /// One site, in 80 bytes: its enumerated fields as codes and its days as positions in
    /// `days`.
    struct Entry: Sendable, BitwiseCopyable {
        var key: PublishedOrder.Key
        var fid: Int64
        /// The published geometry's box.
        var box: BoundingBox
        /// First and last day of the site's date and events, as positions in `days`;
        /// `Entry.none` when it has none or the audience sees none.
        var from: UInt32
        var to: UInt32
        /// Positions in `allCases` of the site's type, status and condition; `Entry.hidden` when
        /// the audience does not see the field.
        var siteType: UInt8
        var status: UInt8
        var condition: UInt8

        static let none = UInt32.max
        static let hidden = UInt8.max
    }

    /// The store's state it was built for.
    let state: StoreState
    /// The published order's salt the index was sorted with (it is made once, unaudited, by
    /// the first writer that needs it: a kept index is checked against it too).
    let salt: String
    let policy: SafeguardingPolicy
    let columns: OutputColumns
    /// The entries in the order answers list them.
    let entries: RecordFile<Entry>
    /// Every day (`YYYY-MM-DD`) an entry's span names, as first met: entries hold positions here.
    let days: [String]
    /// The union of the shown sites' published boxes.
    let extent: BoundingBox?
    /// The first and last day among the shown sites' spans.
    let temporalExtent: (from: String, to: String)?

    /// `chunkSize` is how many entries are sorted in memory at once (tests make it small, to
    /// sort through many runs).
    init(snapshot: SiteSnapshot, policy: SafeguardingPolicy, columns: OutputColumns, state: StoreState,
         chunkSize: Int = 1 << 16) throws {
        self.state = state
        salt = try snapshot.orderSalt()
        self.policy = policy
        self.columns = columns
        let view = policy.view
        let ordered = PublishedOrder.applies(to: view.audience)
        let order = ordered ? PublishedOrder(view: view, storeGrid: try snapshot.grid(), salt: salt) : nil
        let spans = try snapshot.eventSpans()
        let kept = view.generalisedFields
        // Ties (the same key twice cannot happen but for a hash collision) in fid order.
        var sort = ExternalSort<Entry>(chunkSize: chunkSize) { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid }
        var dayNumbers: [String: UInt32] = [:]
        var dayTexts: [String] = []
        func number(_ day: String) -> UInt32 {
            if let n = dayNumbers[day] { return n }
            let n = UInt32(dayTexts.count)
            dayNumbers[day] = n
            dayTexts.append(day)
            return n
        }
        var extent: BoundingBox?
        var first: String?, last: String?
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
            if let span {
                first = min(first ?? span.from, span.from)
                last = max(last ?? span.to, span.to)
            }
            if extent == nil { extent = box } else { extent?.extend(box) }
            try sort.append(Entry(
                key: key, fid: fid, box: box,
                from: span.map { number($0.from) } ?? Entry.none, to: span.map { number($0.to) } ?? Entry.none,
                siteType: exact || kept.contains(SiteType.field) ? Self.code(site.type) : Entry.hidden,
                status: exact || kept.contains(SiteStatus.field) ? Self.code(site.status) : Entry.hidden,
                condition: exact || kept.contains(SiteCondition.field) ? Self.code(site.condition) : Entry.hidden))
        }
        entries = try sort.finish()
        days = dayTexts
        self.extent = extent
        temporalExtent = first.flatMap { f in last.map { (f, $0) } }
    }

    /// The code an entry keeps for an enumerated value: its position among the type's cases.
    static func code<E: StoreEnumeration>(_ value: E) -> UInt8 {
        UInt8(truncatingIfNeeded: E.allCases.firstIndex(of: value).map { E.allCases.distance(from: E.allCases.startIndex, to: $0) } ?? 0)
    }

    /// The code of the value spelled `text` (nil for no filter); `Entry.hidden` never matches a
    /// value, so a text that names none matches nothing.
    static func code<E: StoreEnumeration>(_ text: String?, _ type: E.Type) -> UInt8? {
        guard let text else { return nil }
        guard let value = E(rawValue: text) else { return Entry.hidden - 1 }
        return code(value)
    }

    /// The entry's first and last day; nil when it has none.
    func span(_ e: Entry) -> (from: String, to: String)? {
        e.from == Entry.none ? nil : (days[Int(e.from)], days[Int(e.to)])
    }

    /// The position of the first entry whose key is greater than `key` (0 for nil).
    ///
    /// - Complexity: O(log n) reads of one entry.
    func position(after key: PublishedOrder.Key?) throws -> Int {
        guard let key else { return 0 }
        return try entries.partitionPoint { $0.key <= key }
    }
}
