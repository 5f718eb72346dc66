import Geometry
import PostgresNIO
import Store

/// `within` and `overlaps(with:)` in the database, for an audience: the database chooses the
/// candidates with its GiST index (the boxes of the area's parts), the program decides and
/// measures them as the GeoPackage store does (`AreaMeeting`: the same GEOS predicates and
/// geodesic areas), on what the audience may see (a generalised site's cell centre, a withheld
/// one never fetched).
extension PostGISStore {
    /// Sites inside or touching `area` as `audience` sees them, in store order (`fid`), as the
    /// GeoPackage store's `within(_:filter:audience:)` gives them.
    ///
    /// ```swift
    /// let inZone = try await store.within(constructionZone, audience: AudienceView(audience: .public, grid: grid))
    /// ```
    /// The area is read as GeoJSON draws it (split at the antimeridian, nothing wraps).
    public func within(_ area: Geometry, filter: SiteFilter = SiteFilter(),
                       audience: AudienceView = .everything) async throws -> [SiteMatch] {
        let zones = try Self.zones(of: area)
        guard !zones.isEmpty else { return [] }
        let (found, view) = try await candidates(meeting: zones, filter: filter, audience: audience)
        // From here on, no suspension: the prepared area stays on this thread's GEOS context.
        let meeting = try AreaMeeting(zones: zones, areaM2: 0)
        var out: [SiteMatch] = []
        for f in found {
            guard let shown = view.publishedGeometry(of: f.site), try meeting.meets(shown) else { continue }
            out.append(SiteMatch(site: f.site, treatment: view.treatment(of: f.site.sensitivity)))
        }
        return out
    }

    /// Every site inside, touching or overlapping `area` as `audience` sees it, as the
    /// GeoPackage store's `overlaps(with:minOverlap:filter:audience:)` gives them: a polygon by
    /// the geodesic area it shares with the area (above `minOverlap` m²), a point or a
    /// generalised site's cell centre inside or touching; largest overlap first, then store order.
    ///
    /// ```swift
    /// for hit in try await store.overlaps(with: zone, audience: view) { … hit.overlapM2 … }
    /// ```
    public func overlaps(with area: Geometry, minOverlap: Double = 1, filter: SiteFilter = SiteFilter(),
                         audience: AudienceView = .everything) async throws -> [SiteOverlap] {
        let zones = try Self.zones(of: area)
        guard !zones.isEmpty else { return [] }
        let (found, view) = try await candidates(meeting: zones, filter: filter, audience: audience)
        // From here on, no suspension: the prepared area stays on this thread's GEOS context.
        let meeting = try AreaMeeting(zones: zones, areaM2: Geodesic.wgs84.area(of: area))
        var hits: [(fid: Int64, site: Site, overlapM2: Double, siteM2: Double, contact: SiteOverlap.Contact, treatment: Treatment)] = []
        for f in found {
            guard let shown = view.publishedGeometry(of: f.site), try meeting.meets(shown),
                  let c = try meeting.contact(of: shown, minOverlap: minOverlap) else { continue }
            hits.append((f.fid, f.site, c.overlapM2, c.siteM2, c.contact, view.treatment(of: f.site.sensitivity)))
        }
        return meeting.ranked(hits)
    }

    /// The area's parts, split at the antimeridian (plain values: made before any suspension).
    static func zones(of area: Geometry) throws -> [Geometry] {
        do {
            return try area.splitEachAtAntimeridian()
        } catch let error as GeometryError {
            throw StoreError.geometry(error)
        }
    }

    /// The sites that may meet `zones` as `audience` sees them, in `fid` order, and the view on
    /// the store's grid. A site drawn across the antimeridian (a box wider than 180°) is one for
    /// every area, as its box does not say where it is; a generalised site is one when its box
    /// centre lies within a cell of a part's box (or it is drawn across).
    private func candidates(meeting zones: [Geometry], filter: SiteFilter,
                            audience: AudienceView) async throws -> ([(fid: Int64, site: Site, extras: [Double?])], AudienceView) {
        try await withConnection { c in
            let view = try await resolved(audience, c)
            var binds = PostgresBindings()
            let envelopes = zones.compactMap(\.boundingBox).map { box -> String in
                binds.append(box.minX)
                binds.append(box.minY)
                binds.append(box.maxX)
                binds.append(box.maxY)
                let n = binds.count
                return "ST_MakeEnvelope($\(n - 3), $\(n - 2), $\(n - 1), $\(n), 4326)"
            }
            let wrapped = PostGISSchema.drawnAcross("s.geom")
            var conditions: [String] = []
            let exact = Self.sensitivityList(view, .exact)
            if !exact.isEmpty {
                let inBoxes = envelopes.map { "s.geom && \($0)" }.joined(separator: " OR ")
                conditions.append("(s.sensitivity IN (\(exact)) AND (\(inBoxes) OR \(wrapped)))")
            }
            let generalised = Self.sensitivityList(view, .generalised)
            if !generalised.isEmpty, filter.canMatchGeneralised(view) {
                let near = envelopes.map { "ST_DWithin(\(PostGISSchema.boxCentre("s.geom")), \($0), \(view.grid.cellSize))" }
                conditions.append("(s.sensitivity IN (\(generalised)) AND (\(near.joined(separator: " OR ")) OR \(wrapped)))")
            }
            guard !conditions.isEmpty, !envelopes.isEmpty else { return ([], view) }
            let filtered = filter.postgresConditions(binding: &binds)
            let found = try await sites(c, where: "(\(conditions.joined(separator: " OR ")))\(filtered) ORDER BY s.fid",
                                        binds: binds, what: "find sites meeting an area")
            return (found, view)
        }
    }
}
