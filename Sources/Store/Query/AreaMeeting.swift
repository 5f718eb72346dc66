import Geometry

/// An area as both engines test and measure sites against it (`within`, `overlaps(with:)`):
/// its parts split at the antimeridian (GeoJSON's reading: nothing wraps), each prepared with
/// GEOS on the calling thread.
///
/// ```swift
/// let area = try AreaMeeting(zone)                     // StoreError.geometry for an area GEOS refuses
/// try area.meets(site.geometry)                         // inside or touching
/// try area.contact(of: site.geometry, minOverlap: 1)   // (overlap m², site m², .overlapping) or nil
/// ```
/// Made and used within one stretch of synchronous code: its prepared parts belong to the
/// thread's GEOS context, which a task that suspends may not come back to.
public struct AreaMeeting {
    /// The area's parts, split at the antimeridian.
    public let zones: [Geometry]
    /// The parts' bounding boxes (what an index is searched with).
    public let boxes: [BoundingBox]
    /// The whole area's geodesic area, m².
    public let areaM2: Double
    private let prepared: [PreparedGeometry]
    private let context: GEOSContext

    public init(_ area: Geometry) throws {
        try self.init(zones: try SiteStore.geos { try area.splitEachAtAntimeridian() }, areaM2: Geodesic.wgs84.area(of: area))
    }

    /// An area already split (`Geometry.splitEachAtAntimeridian`).
    public init(zones: [Geometry], areaM2: Double) throws {
        self.zones = zones
        self.areaM2 = areaM2
        boxes = zones.compactMap(\.boundingBox)
        let context = try SiteStore.geos { try GEOSContext.current() }
        self.context = context
        prepared = try SiteStore.geos { try zones.map { try context.prepare($0) } }
    }

    /// Whether `geometry` (as the audience sees the site) is inside or touches the area.
    public func meets(_ geometry: Geometry) throws -> Bool {
        try SiteStore.geos {
            let parts = try geometry.splitAtAntimeridian()
            return try prepared.contains { zone in try parts.contains { try zone.intersects($0) } }
        }
    }

    /// How a site seen as `geometry` meets the area: a polygon by the area they share (m², with
    /// the site's own), nil when that is not above `minOverlap`; a point or line inside or
    /// touching, with no area. Call it for sites that `meets`.
    public func contact(of geometry: Geometry, minOverlap: Double) throws -> (overlapM2: Double, siteM2: Double, contact: SiteOverlap.Contact)? {
        try SiteStore.geos {
            let parts = try geometry.splitAtAntimeridian()
            if geometry.isPolygonal {
                let overlap = try SiteStore.overlapArea(zones, prepared, parts, context)
                return overlap > minOverlap ? (overlap, Geodesic.wgs84.area(of: geometry), .overlapping) : nil
            }
            let inside = try prepared.contains { zone in try parts.contains { try zone.contains($0) } }
            return (0, 0, inside ? .inside : .touching)
        }
    }

    /// The sites that met the area as `SiteOverlap`s, largest overlap first, then in store order
    /// (`fid`), with their shares of their own area and of the area's.
    public func ranked(_ hits: [(fid: Int64, site: Site, overlapM2: Double, siteM2: Double, contact: SiteOverlap.Contact,
                                 treatment: Treatment)]) -> [SiteOverlap] {
        hits.sorted { ($1.overlapM2, $0.fid) < ($0.overlapM2, $1.fid) }.map { h in
            SiteOverlap(a: h.site, b: nil, overlapM2: h.overlapM2, shareA: h.siteM2 > 0 ? h.overlapM2 / h.siteM2 : 0,
                        shareB: areaM2 > 0 ? h.overlapM2 / areaM2 : 0, contact: h.contact, treatmentA: h.treatment)
        }
    }
}
