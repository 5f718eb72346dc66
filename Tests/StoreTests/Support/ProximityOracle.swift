import Foundation
import Geometry
@testable import Store

/// Brute force over every site, as an audience sees it: the answer `near`, `nearest` and
/// `within` must give, computed without the R*Tree, the walk or SQL.
enum ProximityOracle {
    struct Hit: Equatable, CustomStringConvertible {
        var index: Int
        var distance: Double
        var treatment: Treatment
        var description: String { "#\(index) \(distance) \(treatment)" }
    }

    /// Each site the audience sees and the filter keeps, with the geometry it sees: the
    /// stored one, or the published cell centre. Index = position in `sites` (store order).
    static func visible(_ sites: [Site], view: AudienceView, filter: SiteFilter) -> [(index: Int, geometry: Geometry, treatment: Treatment)] {
        sites.enumerated().compactMap { i, site in
            let treatment = view.treatment(of: site.sensitivity)
            guard let shown = view.publishedGeometry(of: site), passes(filter, site, treatment, view) else { return nil }
            return (i, shown, treatment)
        }
    }

    /// The filter as the audience sees the site: a generalised site matches only conditions
    /// on fields it keeps.
    static func passes(_ f: SiteFilter, _ s: Site, _ treatment: Treatment, _ view: AudienceView) -> Bool {
        if treatment == .generalised, !f.fields.isSubset(of: view.generalisedFields) { return false }
        if !f.types.isEmpty, !f.types.contains(s.type) { return false }
        if !f.statuses.isEmpty, !f.statuses.contains(s.status) { return false }
        if !f.conditions.isEmpty, !f.conditions.contains(s.condition) { return false }
        if !f.sensitivities.isEmpty, !f.sensitivities.contains(s.sensitivity) { return false }
        if let period = f.period, !(s.period?.lowercased().contains(period.lowercased()) ?? false) { return false }
        if f.dateFrom != nil || f.dateTo != nil {
            guard let date = s.date else { return false }
            if let from = f.dateFrom, date.latest < from { return false }
            if let to = f.dateTo, date.earliest > to { return false }
        }
        return true
    }

    static func ranked(_ p: Position, _ visible: [(index: Int, geometry: Geometry, treatment: Treatment)]) -> [Hit] {
        visible.map { Hit(index: $0.index, distance: Geodesic.wgs84.distance(from: p, to: $0.geometry), treatment: $0.treatment) }
            .sorted { ($0.distance, $0.index) < ($1.distance, $1.index) }
    }

    /// The first `k` and every later hit within a millimetre of the k-th.
    static func cut(_ ranked: [Hit], _ k: Int) -> [Hit] {
        guard ranked.count > k, k > 0 else { return ranked }
        let last = ranked[k - 1].distance
        let ties = ranked.dropFirst(k).prefix { $0.distance <= last + ProximitySummary.tolerance }
        return Array(ranked.prefix(k)) + ties
    }

    static func nearest(_ p: Position, k: Int, _ visible: [(index: Int, geometry: Geometry, treatment: Treatment)]) -> [Hit] {
        cut(ranked(p, visible), k)
    }

    static func near(_ p: Position, radius: Double, limit: Int?, _ visible: [(index: Int, geometry: Geometry, treatment: Treatment)]) -> (hits: [Hit], more: Int) {
        let inside = ranked(p, visible).filter { $0.distance <= radius }
        guard let limit else { return (inside, 0) }
        let kept = cut(inside, limit)
        return (kept, inside.count - kept.count)
    }

    /// Whether `got` is `expected`: same sites in the same order, same treatment, distances
    /// within a millimetre.
    static func same(_ got: [SiteMatch], _ expected: [Hit], _ index: [UUID: Int]) -> Bool {
        guard got.count == expected.count else { return false }
        return zip(got, expected).allSatisfy { g, e in
            index[g.site.id] == e.index && g.treatment == e.treatment && abs((g.distanceM ?? .nan) - e.distance) <= 0.001
        }
    }
}
