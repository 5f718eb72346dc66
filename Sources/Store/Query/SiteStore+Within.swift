import Foundation
import GRDB
import Geometry

/// `within`: the sites an audience sees inside or touching an area, streamed in store order.
extension SiteStore {
    /// Hands `body` every site inside or touching `area` (a polygon or multipolygon in
    /// EPSG:4326) as `audience` sees it, in store order; returns how many.
    ///
    /// ```swift
    /// let count = try store.within(constructionZone, audience: .anyone) { match in
    ///     write(match)     // match.treatment == .generalised: its cell centre is in the zone
    /// }
    /// ```
    /// A generalised site is inside when its published cell centre is; a withheld site never.
    /// Each polygon of `area` is read on its own: one wider than 180° is taken as drawn across
    /// the antimeridian, the short way (`Geometry.splitEachAtAntimeridian`); an area meant as
    /// written (RFC 7946: the world, a box from −170 to 170) is cut with
    /// `Geometry.splitIntoHemispheres()` first, as the command line does.
    /// Memory holds the fids found (8 bytes a site), not their sites.
    /// - Complexity: one R*Tree search and one GEOS predicate per candidate, then two index
    ///   probes per site handed over.
    @discardableResult
    public func within(_ area: Geometry, filter: SiteFilter = SiteFilter(), audience: AudienceView,
                       _ body: (SiteMatch) throws -> Void) throws -> Int {
        try found(within: area, filter: filter, audience: audience) { fetch, found in
            var count = 0
            for f in found {
                guard let site = try fetch.site(f.fid) else { continue }
                try body(SiteMatch(site: site, treatment: f.treatment))
                count += 1
            }
            return count
        }
    }

    /// `within`, handing the sites over in the order of `key` (ties in store order) rather
    /// than in store order: how an answer for `public` or `partner` is listed, so that its
    /// order tells nothing the published positions do not (see `PublishedOrder`).
    ///
    /// ```swift
    /// try store.within(zone, audience: view, orderedBy: { order.key(for: $0.site) }) { write($0) }
    /// ```
    /// Memory: a key and a fid per site found, never the sites.
    /// - Complexity: `within`'s, plus each site read twice (once for its key) and a sort.
    @discardableResult
    public func within<Key: Comparable>(_ area: Geometry, filter: SiteFilter = SiteFilter(), audience: AudienceView,
                                        orderedBy key: (SiteMatch) throws -> Key,
                                        _ body: (SiteMatch) throws -> Void) throws -> Int {
        try found(within: area, filter: filter, audience: audience) { fetch, found in
            var keyed: [(key: Key, index: Int)] = []
            keyed.reserveCapacity(found.count)
            for (i, f) in found.enumerated() {
                guard let site = try fetch.site(f.fid) else { continue }
                keyed.append((try key(SiteMatch(site: site, treatment: f.treatment)), i))
            }
            keyed.sort { $0.key < $1.key || (!($1.key < $0.key) && $0.index < $1.index) }
            var count = 0
            for k in keyed {
                let f = found[k.index]
                guard let site = try fetch.site(f.fid) else { continue }
                try body(SiteMatch(site: site, treatment: f.treatment))
                count += 1
            }
            return count
        }
    }

    /// The search both `within`s share: the fids (and treatments) of the sites meeting `area`
    /// in store order, handed to `emit` in the same read transaction with a `SiteFetch`.
    private func found(within area: Geometry, filter: SiteFilter, audience: AudienceView,
                       _ emit: (SiteFetch, [(fid: Int64, treatment: Treatment)]) throws -> Int) throws -> Int {
        let zones = try Self.geos { try area.splitEachAtAntimeridian() }
        guard !zones.isEmpty else { return 0 }
        return try spatialRead { db, memo in
            let meeting = try AreaMeeting(zones: zones, areaM2: 0)
            var found: [(fid: Int64, treatment: Treatment)] = []
            try Self.sitesMeeting(db, memo, area: meeting, filter: filter, view: audience) { fid, treatment, _ in
                found.append((fid, treatment))
            }
            found.sort { $0.fid < $1.fid }
            return try emit(try SiteFetch(db), found)
        }
    }

    /// Sites inside or touching `area`, as `audience` sees them, in store order.
    ///
    /// ```swift
    /// let inZone = try store.within(constructionZone)
    /// ```
    public func within(_ area: Geometry, filter: SiteFilter = SiteFilter(),
                       audience: AudienceView = .anyone) throws -> [SiteMatch] {
        var out: [SiteMatch] = []
        try within(area, filter: filter, audience: audience) { out.append($0) }
        return out
    }

    /// Calls `body` with each site meeting `area` as `view` sees it: exact sites with their
    /// geometry, generalised ones with their cell centre; each once, in no particular order.
    static func sitesMeeting(_ db: Database, _ memo: SpatialMemo, area: AreaMeeting, filter: SiteFilter, view: AudienceView,
                             _ body: (Int64, Treatment, Geometry) throws -> Void) throws {
        let boxes = area.boxes
        let index = try memo.audiences.index(db, view)
        if let exact = filter.limited(to: index.exactSensitivities) {
            try CandidateSearch(db, filter: exact, wrapped: memo.wrapped).forEachCandidate(boxes) { c in
                if try area.meets(c.geometry) { try body(c.fid, .exact, c.geometry) }
            }
        }
        guard filter.canMatchGeneralised(view), !index.cells.isEmpty else { return }
        let check = try FilterCheck(db, filter)
        for c in index.cells(in: boxes) {
            let centre = Geometry.point(try geos { try Point(index.cells[c].centre) })
            guard try area.meets(centre) else { continue }
            for fid in index.cells[c].fids where try check.passes(fid) { try body(fid, .generalised, centre) }
        }
    }
}
