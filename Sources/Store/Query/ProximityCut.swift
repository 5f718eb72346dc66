/// The limit of one query point of `near` or `nearest`, applied to its sites as they come
/// nearest first: which to hand over, which the limit cuts, and the summary it leaves.
///
/// ```swift
/// var cut = ProximityCut(queryIndex: 0, limit: 10, radius: 1_000)
/// for found in sitesNearestFirst {
///     switch cut.admit(found.distance) {
///     case .handOver: write(found)
///     case .cut: continue           // counted in `summary.moreMatched`
///     case .stop: break             // `nearest`: nothing further can be handed over
///     }
/// }
/// let summary = cut.finish()
/// ```
/// Sites tied with the last one inside the limit (to `ProximitySummary.tolerance`) are all
/// handed over; past them, within a finite radius the rest are counted, without one the walk
/// stops.
/// Both engines cut through it (the GeoPackage store's walks, the PostGIS store's ranked
/// candidates), so they return the same sites and say the same of their cuts.
/// - Complexity: O(1) per site, O(limit) once at the end.
public struct ProximityCut {
    public enum Verdict: Sendable { case handOver, cut, stop }

    private var summary: ProximitySummary
    private let limit: Int?
    private let radius: Double
    private var cutDistance: Double?
    /// Distances handed over, while the cut is to come.
    private var kept: [Double] = []

    public init(queryIndex: Int, limit: Int?, radius: Double) {
        summary = ProximitySummary(queryIndex: queryIndex, returned: 0, moreMatched: 0)
        self.limit = limit
        self.radius = radius
    }

    /// What to do with the next site, `distance` metres away (not nearer than the last).
    /// A site handed over must be counted with `handedOver(_:)`.
    public mutating func admit(_ distance: Double) -> Verdict {
        guard let d = cutDistance, distance > d + ProximitySummary.tolerance else { return .handOver }
        guard radius.isFinite else { return .stop }
        summary.moreMatched += 1
        return .cut
    }

    /// Counts a site handed over at `distance`.
    public mutating func handedOver(_ distance: Double) {
        summary.returned += 1
        guard let limit else { return }
        if summary.returned <= limit { kept.append(distance) }
        if summary.returned == limit { cutDistance = distance }
    }

    /// The summary, with the tie the cut fell in (if it did).
    public func finish() -> ProximitySummary {
        var out = summary
        if let limit, let d = cutDistance, out.returned > limit {
            let before = kept.reversed().prefix { d - $0 <= ProximitySummary.tolerance }.count
            out.tie = .init(distanceM: d, count: before + out.returned - limit, beyondLimit: out.returned - limit)
        }
        return out
    }
}
