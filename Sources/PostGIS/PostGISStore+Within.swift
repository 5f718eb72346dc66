import Geometry
import PostgresNIO
import Store

/// `within` in the database, for an audience: the database chooses the candidates with its GiST
/// index (the boxes of the area's parts), the program decides with the same GEOS predicate as
/// the GeoPackage store, on what the audience may see (a generalised site's cell centre, a
/// withheld one never fetched).
extension PostGISStore {
    /// Sites inside or touching `area` as `audience` sees them, in store order (`fid`), as the
    /// GeoPackage store's `within(_:filter:audience:)` gives them.
    ///
    /// ```swift
    /// let inZone = try await store.within(constructionZone, audience: AudienceView(audience: .public, grid: grid))
    /// ```
    /// The area is read as GeoJSON draws it (split at the antimeridian, nothing wraps). A site
    /// drawn across the antimeridian (a box wider than 180°) is a candidate for every area, as
    /// its box does not say where it is. A generalised site is a candidate when its box centre lies
    /// within a cell of the area's box (or it is drawn across), and found when its cell centre
    /// meets the area.
    public func within(_ area: Geometry, filter: SiteFilter = SiteFilter(),
                       audience: AudienceView = .everything) async throws -> [SiteMatch] {
        let zones: [Geometry], prepared: [PreparedGeometry]
        do {
            zones = try area.splitEachAtAntimeridian()
            let context = try GEOSContext.current()
            prepared = try zones.map { try context.prepare($0) }
        } catch let error as GeometryError {
            throw StoreError.geometry(error)
        }
        let boxes = zones.compactMap(\.boundingBox)
        guard !boxes.isEmpty else { return [] }
        return try await withConnection { c in
            let view = try await resolved(audience, c)
            var binds = PostgresBindings()
            let envelopes = boxes.map { box -> String in
                binds.append(box.minX)
                binds.append(box.minY)
                binds.append(box.maxX)
                binds.append(box.maxY)
                let n = binds.count
                return "ST_MakeEnvelope($\(n - 3), $\(n - 2), $\(n - 1), $\(n), 4326)"
            }
            var conditions: [String] = []
            let wrapped = "(ST_XMin(s.geom) <= 0 AND ST_XMax(s.geom) >= 0 AND ST_XMax(s.geom) - ST_XMin(s.geom) > 180)"
            let exact = Self.sensitivityList(view, .exact)
            if !exact.isEmpty {
                let inBoxes = envelopes.map { "s.geom && \($0)" }.joined(separator: " OR ")
                conditions.append("(s.sensitivity IN (\(exact)) AND (\(inBoxes) OR \(wrapped)))")
            }
            let generalised = Self.sensitivityList(view, .generalised)
            if !generalised.isEmpty, filter.canMatchGeneralised(view) {
                let reach = view.grid.cellSize
                let near = envelopes.map { "ST_DWithin(\(PostGISSchema.boxCentre("s.geom")), \($0), \(reach))" }
                conditions.append("(s.sensitivity IN (\(generalised)) AND (\(near.joined(separator: " OR ")) OR \(wrapped)))")
            }
            guard !conditions.isEmpty else { return [] }
            let filtered = filter.postgresConditions(binding: &binds)
            let found = try await sites(c, where: "(\(conditions.joined(separator: " OR ")))\(filtered) ORDER BY s.fid",
                                        binds: binds, what: "find sites within an area")
            var out: [SiteMatch] = []
            do {
                for f in found {
                    let treatment = view.treatment(of: f.site.sensitivity)
                    guard let shown = view.publishedGeometry(of: f.site) else { continue }
                    let parts = try shown.splitAtAntimeridian()
                    guard try prepared.contains(where: { zone in try parts.contains { try zone.intersects($0) } }) else { continue }
                    out.append(SiteMatch(site: f.site, treatment: treatment))
                }
            } catch let error as GeometryError {
                throw StoreError.geometry(error)
            }
            return out
        }
    }
}
