import Foundation
import GRDB
import Geometry

extension SiteSnapshot {
    /// The `fid`s of the sites whose index box meets `box`, those whose box meets `wider` when
    /// their sensitivity is one of `widened`, and the sites drawn across the antimeridian (whose
    /// box does not say where they are); each once, in `fid` order.
    ///
    /// ```swift
    /// // A tile's sites as the public sees them: generalised ones are shown at the centre of
    /// // their grid cell, so they are looked for one cell further out.
    /// let fids = try snap.fids(meeting: tileBox, widening: [.restricted], to: tileBox.expanded(by: 0.1))
    /// ```
    /// - Complexity: one R*Tree search per box, plus one row per candidate of the wider box.
    public func fids(meeting box: BoundingBox, widening widened: [Sensitivity] = [], to wider: BoundingBox? = nil) throws -> [Int64] {
        var out = Set<Int64>()
        let inBox = try RawStatement(cached: db, """
            SELECT id FROM rtree_sites_geom WHERE minx <= ?1 AND maxx >= ?2 AND miny <= ?3 AND maxy >= ?4
            """)
        func bind(_ s: RawStatement, _ b: BoundingBox) {
            s.bind(1, b.maxX)
            s.bind(2, b.minX)
            s.bind(3, b.maxY)
            s.bind(4, b.minY)
        }
        bind(inBox, box)
        defer { inBox.reset() }
        while try inBox.step() { out.insert(inBox.int64(0)) }
        if let wider, !widened.isEmpty {
            let list = widened.map { "'\($0.rawValue)'" }.joined(separator: ", ")
            let inWider = try RawStatement(cached: db, """
                SELECT r.id FROM rtree_sites_geom r JOIN sites s ON s.fid = r.id
                WHERE r.minx <= ?1 AND r.maxx >= ?2 AND r.miny <= ?3 AND r.maxy >= ?4 AND s.sensitivity IN (\(list))
                """)
            bind(inWider, wider)
            defer { inWider.reset() }
            while try inWider.step() { out.insert(inWider.int64(0)) }
        }
        for fid in try SiteStore.wrappedSites(db) { out.insert(fid) }
        return out.sorted()
    }
}
