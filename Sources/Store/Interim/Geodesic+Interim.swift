import Foundation
import Geometry

// Stand-in for the Geometry module's geodesy (`Geodesic.wgs84.distance(from:to:)`,
// `.area(of:)`), which is being written elsewhere. Same names, so the store code does not
// change when this file is deleted after that code lands. Spherical (mean radius) and with
// straight lon/lat edges: good enough to exercise the store's queries, not their figures.

struct Geodesic: Sendable {
    static let wgs84 = Geodesic()
    private let radius = 6_371_008.8

    func distance(_ a: Position, _ b: Position) -> Double {
        let φ1 = a.y * .pi / 180, φ2 = b.y * .pi / 180
        let dφ = φ2 - φ1, dλ = (b.x - a.x) * .pi / 180
        let h = sin(dφ / 2) * sin(dφ / 2) + cos(φ1) * cos(φ2) * sin(dλ / 2) * sin(dλ / 2)
        return 2 * radius * asin(min(1, sqrt(h)))
    }

    func distance(from p: Position, to geometry: Geometry) -> Double {
        switch geometry {
        case let .point(q): return distance(p, q.position)
        case let .polygon(polygon): return distance(from: p, to: polygon)
        case let .multiPolygon(m): return m.polygons.reduce(.infinity) { min($0, distance(from: p, to: $1)) }
        default:
            var best = Double.infinity
            geometry.forEachPosition { best = min(best, distance(p, $0)) }
            return best
        }
    }

    private func distance(from p: Position, to polygon: Polygon) -> Double {
        guard let exterior = polygon.exterior else { return .infinity }
        if inside(exterior.positions, p) && !polygon.holes.contains(where: { inside($0.positions, p) }) { return 0 }
        var best = Double.infinity
        for ring in polygon.rings {
            for i in 1..<ring.positions.count {
                best = min(best, distance(p, closest(p, ring.positions[i - 1], ring.positions[i])))
            }
        }
        return best
    }

    private func closest(_ p: Position, _ a: Position, _ b: Position) -> Position {
        let k = cos(p.y * .pi / 180)
        let dx = (b.x - a.x) * k, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        guard len2 > 0 else { return a }
        let t = max(0, min(1, ((p.x - a.x) * k * dx + (p.y - a.y) * dy) / len2))
        return Position(x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y))
    }

    private func inside(_ ring: [Position], _ p: Position) -> Bool {
        var c = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x { c.toggle() }
            j = i
        }
        return c
    }

    /// Area on the sphere (spherical excess of each ring, holes subtracted).
    func area(of geometry: Geometry) -> Double {
        switch geometry {
        case let .polygon(p): return area(p)
        case let .multiPolygon(m): return m.polygons.reduce(0) { $0 + area($1) }
        case let .geometryCollection(c): return c.geometries.reduce(0) { $0 + area(of: $1) }
        default: return 0
        }
    }

    private func area(_ polygon: Polygon) -> Double {
        polygon.rings.enumerated().reduce(0) { sum, ring in
            let a = ringArea(ring.element.positions)
            return ring.offset == 0 ? sum + a : sum - a
        }
    }

    private func ringArea(_ ps: [Position]) -> Double {
        var total = 0.0
        for i in 1..<ps.count {
            let a = ps[i - 1], b = ps[i]
            total += (b.x - a.x) * .pi / 180 * (2 + sin(a.y * .pi / 180) + sin(b.y * .pi / 180))
        }
        return abs(total * radius * radius / 2)
    }
}
