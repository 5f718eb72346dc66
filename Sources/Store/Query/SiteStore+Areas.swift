import Foundation
import GRDB
import Geometry

/// `overlaps`: GEOS predicates and intersections in longitude/latitude, areas
/// measured on the WGS84 ellipsoid. A site or area drawn across the antimeridian is taken in
/// its two parts, one each side (`Geometry.splitAtAntimeridian`).
extension SiteStore {
    /// Pairs of sites whose areas overlap by more than `minOverlap` m², largest overlap first.
    ///
    /// ```swift
    /// for pair in try store.overlaps(minOverlap: 1) { print(pair.a.name, pair.b?.name, pair.overlapM2) }
    /// ```
    /// Only polygonal sites have area. Both sites of a pair pass `filter`, and both are exact
    /// for `audience`: a generalised site is a point (its cell centre), which has no area.
    /// - Complexity: O(n log n) over the polygonal sites (sweep on longitude) plus one GEOS
    ///   intersection per pair whose boxes meet.
    public func overlaps(minOverlap: Double = 1, filter: SiteFilter = SiteFilter(),
                         audience: AudienceView = .anyone) throws -> [SiteOverlap] {
        guard let filter = filter.limited(to: audience.sensitivities(.exact)) else { return [] }
        return try read { db in
            let areas = try Self.polygonalSites(db, filter: filter)
            var pairs: [(Int, Int, Double)] = []
            try Self.geos {
                let context = try GEOSContext.current()
                let order = areas.indices.sorted { areas[$0].box.minX < areas[$1].box.minX }
                for (position, i) in order.enumerated() {
                    let a = areas[i]
                    var prepared: [PreparedGeometry] = []
                    for j in order[(position + 1)...] {
                        let b = areas[j]
                        if b.box.minX > a.box.maxX { break }
                        guard b.box.minY <= a.box.maxY, b.box.maxY >= a.box.minY else { continue }
                        if prepared.isEmpty { prepared = try a.parts.map { try context.prepare($0) } }
                        let overlap = try Self.overlapArea(a.parts, prepared, b.parts, context)
                        if overlap > minOverlap {
                            pairs.append(a.fid < b.fid ? (i, j, overlap) : (j, i, overlap))
                        }
                    }
                }
            }
            pairs.sort { ($1.2, areas[$0.0].fid, areas[$0.1].fid) < ($0.2, areas[$1.0].fid, areas[$1.1].fid) }
            let sites = try Self.sites(db, fids: pairs.flatMap { [areas[$0.0].fid, areas[$0.1].fid] })
            return pairs.compactMap { p in
                let a = areas[p.0], b = areas[p.1]
                guard let siteA = sites[a.fid], let siteB = sites[b.fid] else { return nil }
                return SiteOverlap(a: siteA, b: siteB, overlapM2: p.2, shareA: p.2 / a.area, shareB: p.2 / b.area)
            }
        }
    }

    /// Every site inside, touching or overlapping `area` (a construction zone), as `audience`
    /// sees it: polygons sharing more than `minOverlap` m² of it, with the area and its shares
    /// (`shareB` is the share of the zone); points inside or on its boundary with `overlapM2`
    /// 0 and `contact` `.inside` or `.touching` (`minOverlap` does not apply to them). A
    /// generalised site is the point at its cell centre. Largest overlap first, then store order.
    ///
    /// ```swift
    /// for hit in try store.overlaps(with: zone, audience: view) { print(hit.a.name, hit.contact, hit.overlapM2) }
    /// ```
    /// - Complexity: one R*Tree search, one GEOS predicate per candidate and one intersection
    ///   per polygon meeting the zone.
    public func overlaps(with area: Geometry, minOverlap: Double = 1, filter: SiteFilter = SiteFilter(),
                         audience: AudienceView = .anyone) throws -> [SiteOverlap] {
        let zones = try Self.geos { try area.splitEachAtAntimeridian() }
        guard !zones.isEmpty else { return [] }
        return try spatialRead { db, memo in
            let meeting = try AreaMeeting(zones: zones, areaM2: Geodesic.wgs84.area(of: area))
            var hits: [(fid: Int64, overlap: Double, siteArea: Double, contact: SiteOverlap.Contact, treatment: Treatment)] = []
            try Self.sitesMeeting(db, memo, area: meeting, filter: filter, view: audience) { fid, treatment, geometry in
                if let c = try meeting.contact(of: geometry, minOverlap: minOverlap) {
                    hits.append((fid, c.overlapM2, c.siteM2, c.contact, treatment))
                }
            }
            let fetch = try SiteFetch(db)
            return meeting.ranked(try hits.compactMap { h in
                try fetch.site(h.fid).map { (h.fid, $0, h.overlap, h.siteArea, h.contact, h.treatment) }
            })
        }
    }

    /// The area (m²) two geometries share, each given as its parts (`splitAtAntimeridian`),
    /// the first's also prepared; 0 when they do not meet.
    static func overlapArea(_ a: [Geometry], _ preparedA: [PreparedGeometry], _ b: [Geometry],
                            _ context: GEOSContext) throws -> Double {
        var total = 0.0
        for (partA, prepared) in zip(a, preparedA) {
            for partB in b where try prepared.intersects(partB) {
                total += Geodesic.wgs84.area(of: try context.intersection(partA, partB))
            }
        }
        return total
    }

    struct PolygonalSite {
        var fid: Int64
        /// The site's geometry, in two parts if it is drawn across the antimeridian.
        var parts: [Geometry]
        var box: BoundingBox
        var area: Double
    }

    /// Every polygonal site passing `filter`; points are skipped on their blob's type code,
    /// without being decoded.
    static func polygonalSites(_ db: Database, filter: SiteFilter) throws -> [PolygonalSite] {
        let (filterSQL, arguments) = filter.sql
        let rows = try Row.fetchCursor(db, sql: "SELECT s.fid, s.geom FROM sites s WHERE 1\(filterSQL)", arguments: arguments)
        var out: [PolygonalSite] = []
        while let row = try rows.next() {
            let fid: Int64 = row[0]
            let blob: [UInt8]? = try row.withUnsafeData(atIndex: 1) { data -> [UInt8]? in
                guard let data else { return nil }
                let polygonal = try data.withUnsafeBytes { raw -> Bool in
                    let header = try GeoPackageHeader(blob: raw)
                    let type = GeoPackageHeader.geometryType(blob: raw, wkbOffset: header.wkbOffset)
                    return type == 3 || type == 6
                }
                return polygonal ? [UInt8](data) : nil
            }
            guard let blob else { continue }
            let geometry = try GeoPackageBinary.decode(blob)
            guard let box = geometry.boundingBox else { continue }
            let wide = box.width > 180 ? BoundingBox(minX: -180, minY: box.minY, maxX: 180, maxY: box.maxY) : box
            out.append(PolygonalSite(fid: fid, parts: try geos { try geometry.splitAtAntimeridian() }, box: wide,
                                     area: Geodesic.wgs84.area(of: geometry)))
        }
        return out
    }

    /// Runs GEOS work, reporting its failures as store errors.
    static func geos<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as GeometryError { throw StoreError.geometry(error) }
    }
}
