/// What one query point of `near` or `nearest` returned and what its cut left out: the line
/// a command prints under the results.
///
/// ```swift
/// let summaries = try store.nearest(points: [witness], k: 10, audience: view) { match in … }
/// summaries[0].returned       // 14
/// summaries[0].tie            // Tie(distanceM: 107.37, count: 9, beyondLimit: 4)
/// // "14 sites: the 10th fell inside a tie of 9 sites at 107.37 m, all kept"
/// ```
/// Sites whose distance equals the last one inside the limit, to a millimetre, are all kept,
/// so the answer never depends on store order at the cut.
public struct ProximitySummary: Hashable, Sendable {
    /// Sites tied at the cut (their distances within `tolerance` of the last site inside the
    /// limit), all returned.
    public struct Tie: Hashable, Sendable {
        /// The distance of the last site inside the limit, metres.
        public var distanceM: Double
        /// Returned sites at that distance (within `tolerance`), inside the limit or not.
        public var count: Int
        /// Sites returned beyond the limit because they tie.
        public var beyondLimit: Int
    }

    /// Distances this close (metres) are a tie.
    public static let tolerance = 0.001

    /// The 0-based index of the query point.
    public var queryIndex: Int
    /// Sites handed over for this point.
    public var returned: Int
    /// Further sites that matched but were cut by the limit (`near`: within the radius);
    /// 0 for `nearest`, whose every site matches and whose ties are kept.
    public var moreMatched: Int
    /// Set when the cut fell inside a tie.
    public var tie: Tie?

    public init(queryIndex: Int, returned: Int, moreMatched: Int, tie: Tie? = nil) {
        self.queryIndex = queryIndex
        self.returned = returned
        self.moreMatched = moreMatched
        self.tie = tie
    }
}
