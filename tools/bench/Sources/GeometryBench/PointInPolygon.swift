import Foundation
import Geometry

/// Point-in-polygon join: which of `points` lie in which of `polygons`, through a uniform grid
/// over polygon bounding boxes and prepared geometries (or plain GEOS predicates to compare).
struct PointInPolygonJoin {
    let polygons: [Geometry]
    let cell: Double
    var grid: [Int64: [Int32]] = [:]

    init(polygons: [Geometry], cell: Double) {
        self.polygons = polygons
        self.cell = cell
        for (i, polygon) in polygons.enumerated() {
            guard let box = polygon.boundingBox else { continue }
            for gx in key(box.minX)...key(box.maxX) {
                for gy in key(box.minY)...key(box.maxY) { grid[gx << 32 | (gy & 0xFFFF_FFFF), default: []].append(Int32(i)) }
            }
        }
    }

    private func key(_ v: Double) -> Int64 { Int64((v / cell).rounded(.down)) }

    func candidates(_ p: Position) -> [Int32] {
        grid[key(p.x) << 32 | (key(p.y) & 0xFFFF_FFFF)] ?? []
    }

    /// Number of (point, polygon) pairs where the polygon covers the point.
    func countPrepared(_ points: [Position], geos: GEOSContext) throws -> Int {
        let prepared = try polygons.map { try geos.prepare($0) }
        var hits = 0
        for p in points {
            for i in candidates(p) where try prepared[Int(i)].covers(p) { hits += 1 }
        }
        return hits
    }

    func countPlain(_ points: [Position], geos: GEOSContext) throws -> Int {
        var hits = 0
        for p in points {
            let point = Geometry.point(try Point(p))
            for i in candidates(p) where try geos.covers(polygons[Int(i)], point) { hits += 1 }
        }
        return hits
    }
}
