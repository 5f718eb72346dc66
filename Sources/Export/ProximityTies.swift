import Store

/// Hands `near` and `nearest` matches to the output with each run of ties (one query point,
/// the same distance to the millimetre) in `PublishedOrder` for `public` and `partner`, and as
/// the store gives them (by fid) for `internal`.
///
/// ```swift
/// let ties = try ProximityTies(view: out.view, store: opened)
/// try opened.near(points: …, audience: out.view) { try ties.add($0, to: emit) }
/// try ties.finish(emit)
/// ```
/// Sites generalised to one cell centre sit at one distance from any point; listed by fid,
/// their order would be the order they were imported in, which the published positions do not
/// show (a file sorted by place would give away where each lies). Memory holds one run of ties.
/// `graveatlas query near|nearest` and the server's `/query/near|nearest` both order through it,
/// so they list the same sites in the same order.
public final class ProximityTies {
    private let order: PublishedOrder?
    private var run: [SiteMatch] = []
    private var runKey: (query: Int?, millimetres: Double?)?

    public init(view: AudienceView, store: SiteStore) throws {
        order = PublishedOrder.applies(to: view.audience)
            ? PublishedOrder(view: view, storeGrid: try store.grid(), salt: try store.orderSalt()) : nil
    }

    /// Ties ordered with the grid and order salt a store records (as another engine reads them).
    public init(view: AudienceView, storeGrid: GeneralisationGrid, salt: String) {
        order = PublishedOrder.applies(to: view.audience) ? PublishedOrder(view: view, storeGrid: storeGrid, salt: salt) : nil
    }

    public func add(_ match: SiteMatch, to emit: (SiteMatch) throws -> Void) throws {
        guard order != nil else { return try emit(match) }
        let key = (query: match.queryIndex, millimetres: match.distanceM.map { ($0 * 1000).rounded() })
        if let runKey, runKey.query != key.query || runKey.millimetres != key.millimetres { try finish(emit) }
        runKey = key
        run.append(match)
    }

    /// Hands over the last run.
    public func finish(_ emit: (SiteMatch) throws -> Void) throws {
        defer { run.removeAll(keepingCapacity: true); runKey = nil }
        guard let order, run.count > 1 else { return try run.forEach(emit) }
        let keyed = run.map { (order.key(for: $0.site), $0) }
        for (_, match) in keyed.sorted(by: { $0.0 < $1.0 }) { try emit(match) }
    }
}

extension PropertyValue {
    /// A figure in metres or square metres, to the millimetre (or mm²), as every query answer
    /// shows it (the command's formats and the server's).
    ///
    /// ```swift
    /// PropertyValue.metres(412.34567)   // .double(412.346)
    /// PropertyValue.metres(nil)         // nil
    /// ```
    public static func metres(_ value: Double?) -> PropertyValue? {
        value.map { .double(($0 * 1000).rounded() / 1000) }
    }
}
