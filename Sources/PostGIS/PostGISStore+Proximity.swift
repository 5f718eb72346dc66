import Foundation
import Geometry
import PostgresNIO
import Store

/// A site found by a proximity query of the PostGIS store.
public struct PostGISMatch: Hashable, Sendable {
    public var site: Site
    /// The site's row key (`fid`), the order of sites at the same distance.
    public var fid: Int64
    /// The exact geodesic distance on the WGS84 ellipsoid (`Geodesic.wgs84`) to what the
    /// audience sees, as the GeoPackage store measures it: 0 inside a polygon.
    public var distanceM: Double
    /// PostGIS's own distance on its geography (`ST_Distance(…, use_spheroid => true)`) to the
    /// stored geometry: for the team's checks only, never shown to an audience that sees the
    /// site generalised.
    public var databaseDistanceM: Double
    /// How the audience sees the site; `distanceM` is measured from that.
    public var treatment: Treatment
    /// The planar distance in degrees from the query point to the stored geometry (`<->`, the
    /// order of the GiST index's nearest-neighbour search).
    var planarDegrees: Double = .nan
}

/// One query point's answer from the PostGIS store: its sites nearest first, and what the cut
/// left out or kept as a tie.
public struct PostGISAnswer: Sendable {
    public var matches: [PostGISMatch]
    public var summary: ProximitySummary

    init(matches: [PostGISMatch], summary: ProximitySummary) {
        self.matches = matches
        self.summary = summary
    }

    /// No site.
    init(queryIndex: Int) {
        self.init(matches: [], summary: ProximitySummary(queryIndex: queryIndex, returned: 0, moreMatched: 0))
    }
}

/// `near` and `nearest` in the database, for an audience: the database chooses the candidates
/// with its GiST indexes, the program measures them exactly from what the audience may see
/// (`AudienceView.publishedGeometry`: a generalised site at its cell's centre, a withheld one
/// not at all), as the GeoPackage store does.
extension PostGISStore {
    /// Every site within `radius` metres of `position` as `audience` sees it, nearest first
    /// (ties by `fid`).
    ///
    /// ```swift
    /// let hits = try await store.near(Position(x: 51.5485, y: 35.6), radius: 500, audience: .anyone)
    /// ```
    /// `ST_DWithin` on geography (its GiST index) finds the exact sites within `radius` plus a
    /// margin, and the generalised ones whose box centre (the point their cell is found from)
    /// lies within `radius` plus half a cell's diagonal; each is then measured with the same
    /// geodesic as the GeoPackage store, from its published geometry, and kept when that is
    /// within `radius`. PostGIS measures polygon edges as great-circle arcs (the project: as
    /// geodesics), so the margin keeps a site the two would place on opposite sides of `radius`.
    /// `limit`: the nearest `limit`, and any tied with the last within a millimetre.
    public func near(_ position: Position, radius: Double, limit: Int? = nil,
                     audience: AudienceView = .everything) async throws -> [PostGISMatch] {
        try await near(points: [position], radius: radius, limit: limit, audience: audience).first ?? []
    }

    /// `near` for each of `points` in turn, on one connection: their answers in their order.
    public func near(points: [Position], radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                     audience: AudienceView = .everything) async throws -> [[PostGISMatch]] {
        try await answers(near: points, radius: radius, limit: limit, filter: filter, audience: audience).map(\.matches)
    }

    /// `near` for each of `points`, with what each cut left (`ProximitySummary`), as the
    /// GeoPackage store's `near(points:…)` reports it. `filter` keeps the sites the GeoPackage
    /// store's filter keeps (a generalised site only when the filter reads nothing the audience's
    /// generalised copy drops).
    public func answers(near points: [Position], radius: Double, limit: Int? = nil, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView = .everything) async throws -> [PostGISAnswer] {
        guard radius >= 0, radius.isFinite else { return points.indices.map { PostGISAnswer(queryIndex: $0) } }
        return try await withConnection { c in
            let view = try await resolved(audience, c)
            var out: [PostGISAnswer] = []
            out.reserveCapacity(points.count)
            for (i, p) in points.enumerated() {
                out.append(try await near(c, p, radius: radius, limit: limit, filter: filter, view: view, queryIndex: i))
            }
            return out
        }
    }

    func near(_ c: PostgresConnection, _ position: Position, radius: Double, limit: Int?, filter: SiteFilter,
              view: AudienceView, queryIndex: Int = 0) async throws -> PostGISAnswer {
        let margin = 1 + radius * 1e-6
        let exact = Self.sensitivityList(view, .exact)
        let generalised = Self.sensitivityList(view, .generalised)
        var conditions: [String] = []
        if !exact.isEmpty {
            conditions.append("(s.sensitivity IN (\(exact)) AND ST_DWithin(s.geom::geography, q.p::geography, $3))")
        }
        if !generalised.isEmpty, filter.canMatchGeneralised(view) {
            let reach = Self.halfCellDiagonal(view.grid)
            conditions.append("(s.sensitivity IN (\(generalised)) AND ST_DWithin(\(PostGISSchema.boxCentre("s.geom"))::geography, q.p::geography, $3 + \(reach)))")
        }
        guard !conditions.isEmpty else { return PostGISAnswer(queryIndex: queryIndex) }
        let found = try await candidates(c, position, where: conditions.joined(separator: " OR "), filter: filter, order: "",
                                         extra: radius + margin, view: view)
        return Self.cut(found.filter { $0.distanceM <= radius }, limit: limit, radius: radius, queryIndex: queryIndex)
    }

    /// Exactly the `k` sites nearest to `position` as `audience` sees them (and any tied with
    /// the k-th within a millimetre), nearest first.
    ///
    /// The GiST index's `<->` (distance in degrees, on the stored geometry) gives the nearest
    /// `k + margin` sites the audience may see at all; the k-th of those measured exactly from
    /// what the audience sees bounds the answer, so `near` within that distance fetches every
    /// site that can be in it, measured and ranked: exact, whatever the latitude distorts in
    /// degrees or a generalised site's cell moves it.
    public func nearest(_ position: Position, k: Int, audience: AudienceView = .everything) async throws -> [PostGISMatch] {
        try await nearest(points: [position], k: k, audience: audience).first ?? []
    }

    /// `nearest` for each of `points` in turn, on one connection: their answers in their order.
    public func nearest(points: [Position], k: Int, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView = .everything) async throws -> [[PostGISMatch]] {
        try await answers(nearest: points, k: k, filter: filter, audience: audience).map(\.matches)
    }

    /// `nearest` for each of `points`, with what each cut left (`ProximitySummary`: the tie the
    /// k-th site fell in), as the GeoPackage store's `nearest(points:…)` reports it.
    public func answers(nearest points: [Position], k: Int, filter: SiteFilter = SiteFilter(),
                        audience: AudienceView = .everything) async throws -> [PostGISAnswer] {
        guard k > 0 else { return points.indices.map { PostGISAnswer(queryIndex: $0) } }
        return try await withConnection { c in
            let view = try await resolved(audience, c)
            let planarOrderSuffices = try await planarOrderSuffices(c, view: view, filter: filter)
            var out: [PostGISAnswer] = []
            out.reserveCapacity(points.count)
            for (i, p) in points.enumerated() {
                out.append(try await nearest(c, p, k: k, filter: filter, view: view, queryIndex: i,
                                             planarOrderSuffices: planarOrderSuffices))
            }
            return out
        }
    }

    /// Whether the sites the nearest-neighbour search (`<->`, planar, on the stored geometry)
    /// finds nearest are the sites nearest as the audience sees them, up to the bound
    /// `nearest` checks: when the view shows no site generalised (none of its generalised
    /// sensitivities is held, or the filter keeps none), whose published cell centre may lie
    /// nearer than its geometry; and when no site is drawn across the antimeridian, whose
    /// stored geometry runs the long way round in the plane. One look at the table per batch.
    func planarOrderSuffices(_ c: PostgresConnection, view: AudienceView, filter: SiteFilter) async throws -> Bool {
        var conditions = [PostGISSchema.drawnAcross("geom")]
        let generalised = Self.sensitivityList(view, .generalised)
        if !generalised.isEmpty, filter.canMatchGeneralised(view) { conditions.append("sensitivity IN (\(generalised))") }
        var any = true
        try await rows(c, "SELECT EXISTS (SELECT 1 FROM sites WHERE \(conditions.joined(separator: " OR ")))",
                       what: "look for generalised sites and sites across the antimeridian") { row in
            any = try row[0].decode(Bool.self)
        }
        return !any
    }

    func nearest(_ c: PostgresConnection, _ position: Position, k: Int, filter: SiteFilter, view: AudienceView,
                 queryIndex: Int = 0, planarOrderSuffices: Bool = false) async throws -> PostGISAnswer {
        let generalised = filter.canMatchGeneralised(view) ? Self.sensitivityList(view, .generalised) : ""
        let exact = Self.sensitivityList(view, .exact)
        let visible = exact + (exact.isEmpty || generalised.isEmpty ? "" : ", ") + generalised
        guard !visible.isEmpty else { return PostGISAnswer(queryIndex: queryIndex) }
        let asked = k + max(8, k / 4)
        let first = try await candidates(c, position, where: "s.sensitivity IN (\(visible))", filter: filter,
                                         order: "ORDER BY s.geom <-> q.p LIMIT $3", extra: Double(asked), view: view, planar: true)
        let ranked = first.sorted(by: Self.nearerFirst)
        guard ranked.count >= k else { return Self.cut(ranked, limit: k, radius: .infinity, queryIndex: queryIndex) }
        let bound = ranked[k - 1].distanceM + ProximitySummary.tolerance
        if planarOrderSuffices, Self.holdsEverySite(within: bound, of: position, planar: first, asked: asked) {
            return Self.cut(first.filter { $0.distanceM <= bound }, limit: k, radius: .infinity, queryIndex: queryIndex)
        }
        let all = try await near(c, position, radius: bound, limit: nil, filter: filter, view: view).matches
        return Self.cut(all, limit: k, radius: .infinity, queryIndex: queryIndex)
    }

    /// Whether the nearest-neighbour search's sites (`found`, the `asked` nearest in the plane,
    /// each site measured from its geometry) surely hold every site within `metres` of
    /// `position`: then `near` within that distance would find no other, and need not be asked.
    ///
    /// A site within `metres` has a point within `metres`, whose planar distance is at most
    /// `GeodesicReach.planarDegrees`. The search returns every site nearer in the plane than
    /// the farthest it returned (or every site, when it returned fewer than asked); when that
    /// reach is below the farthest, every site within `metres` is among them. Not when the reach
    /// touches the antimeridian, across which the plane's distances run the long way round.
    static func holdsEverySite(within metres: Double, of position: Position, planar found: [PostGISMatch], asked: Int) -> Bool {
        if found.count < asked { return true }
        guard let reach = GeodesicReach.planarDegrees(around: position, within: metres),
              position.x - reach > -180, position.x + reach < 180 else { return false }
        let farthest = found.map(\.planarDegrees).max() ?? .nan
        return reach < farthest
    }

    /// `audience` with the store's own grid (the one its `store_metadata` records), as the
    /// GeoPackage store's queries use theirs.
    func resolved(_ audience: AudienceView, _ c: PostgresConnection) async throws -> AudienceView {
        guard !audience.sensitivities(.generalised).isEmpty else { return audience }
        var view = audience
        view.grid = try await grid(c)
        return view
    }

    /// The grid recorded in the database (the default grid when none is).
    public func grid() async throws -> GeneralisationGrid {
        try await withConnection { c in try await grid(c) }
    }

    func grid(_ c: PostgresConnection) async throws -> GeneralisationGrid {
        try SiteStore.grid(recorded: try await settings(c)) ?? GeneralisationGrid()
    }

    /// The store's settings (`store_metadata`), key → value.
    func settings(_ c: PostgresConnection) async throws -> [String: String] {
        var values: [String: String] = [:]
        try await rows(c, "SELECT key, value FROM store_metadata", what: "read the store's settings") { row in
            if let key = try? row[0].decode(String.self), let value = try? row[1].decode(String.self) {
                values[key] = value
            }
        }
        return values
    }

    /// The sensitivities `view` treats as `treatment`, as an SQL list of quoted words.
    static func sensitivityList(_ view: AudienceView, _ treatment: Treatment) -> String {
        view.sensitivities(treatment).map { PostGISSchema.quoted($0.rawValue) }.joined(separator: ", ")
    }

    /// More than the geodesic distance from any point of a grid cell to its centre (metres):
    /// half the diagonal at the longest a degree of either axis is on WGS84 (111.7 km).
    static func halfCellDiagonal(_ grid: GeneralisationGrid) -> Double {
        (grid.cellSize / 2 * 111_700 * 2.squareRoot() * 1.001 + 1).rounded(.up)
    }

    static func nearerFirst(_ a: PostGISMatch, _ b: PostGISMatch) -> Bool {
        a.distanceM != b.distanceM ? a.distanceM < b.distanceM : a.fid < b.fid
    }

    /// `matches` ranked by exact distance and cut as the GeoPackage store cuts (`ProximityCut`):
    /// after `limit` and any tied with the last within a millimetre; the rest within a finite
    /// `radius` counted, not returned.
    static func cut(_ matches: [PostGISMatch], limit: Int?, radius: Double, queryIndex: Int) -> PostGISAnswer {
        var cut = ProximityCut(queryIndex: queryIndex, limit: limit, radius: radius)
        var kept: [PostGISMatch] = []
        walk: for match in matches.sorted(by: nearerFirst) {
            switch cut.admit(match.distanceM) {
            case .handOver:
                kept.append(match)
                cut.handedOver(match.distanceM)
            case .cut: continue
            case .stop: break walk
            }
        }
        return PostGISAnswer(matches: kept, summary: cut.finish())
    }

    /// Sites chosen by `condition` with the query point `q.p` ($1, $2) and `extra` as $3, that
    /// pass `filter`, with their names, each measured exactly; with `planar`, each with its
    /// planar distance (`PostGISMatch.planarDegrees`) too.
    private func candidates(_ c: PostgresConnection, _ position: Position, where condition: String, filter: SiteFilter,
                            order: String, extra: Double, view: AudienceView, planar: Bool = false) async throws -> [PostGISMatch] {
        var binds = PostgresBindings()
        binds.append(position.x)
        binds.append(position.y)
        if order.contains("LIMIT") { binds.append(Int64(extra)) } else { binds.append(extra) }
        let filtered = filter.postgresConditions(binding: &binds)
        let found = try await sites(c, with: "WITH q AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS p)",
                                    extras: ["ST_Distance(s.geom::geography, q.p::geography)"] + (planar ? ["s.geom <-> q.p"] : []),
                                    from: "sites s, q",
                                    where: "(\(condition))\(filtered) \(order)", binds: binds,
                                    what: "find sites near \(position.x), \(position.y)")
        return found.compactMap { f in
            let treatment = view.treatment(of: f.site.sensitivity)
            guard let published = view.publishedGeometry(of: f.site) else { return nil }
            return PostGISMatch(site: f.site, fid: f.fid, distanceM: Geodesic.wgs84.distance(from: position, to: published),
                                databaseDistanceM: f.extras.first.flatMap { $0 } ?? .nan, treatment: treatment,
                                planarDegrees: planar ? f.extras.last.flatMap { $0 } ?? .nan : .nan)
        }
    }

    /// Whole sites (every column, and their names) of the rows `where` chooses from `from` (the
    /// sites table as `s`), after `with`; `extras` are numbers read with each, in order.
    func sites(_ c: PostgresConnection, with: String = "", extras: [String] = [], from: String = "sites s", where condition: String,
               binds: PostgresBindings, what: String) async throws -> [(fid: Int64, site: Site, extras: [Double?])] {
        let width = StoreTable.sites.columns.count
        // Each site's names in the same row (`namesJSON`): one round trip for sites and names.
        let select = ([Self.siteSelect, Self.namesJSON] + extras).joined(separator: ", ")
        let sql = "\(with) SELECT \(select) FROM \(from) WHERE \(condition)"
        var found: [(fid: Int64, site: Site, extras: [Double?])] = []
        try await rows(c, sql, binds: binds, what: what) { row in
            var (fid, site) = try siteOf(row)
            site.names = try names(inJSON: try row[width].decode(String?.self), of: site)
            found.append((fid, site, extras.indices.map { try? row[width + 1 + $0].decode(Double?.self) ?? nil }))
        }
        return found
    }
}
