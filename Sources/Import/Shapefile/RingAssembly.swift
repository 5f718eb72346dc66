import Geometry

/// Groups the rings of a shapefile polygon into polygons: each outer ring with the holes it
/// contains.
///
/// ```swift
/// let (polygons, remarks) = RingAssembly.polygons(from: rings)
/// // two clockwise outers and a counter-clockwise hole inside the second:
/// // [Polygon(outer1), Polygon(outer2, holes: [hole])]
/// ```
/// The shapefile specification says outer rings run clockwise and holes counter-clockwise,
/// in any order. Writers do not always obey it, so:
/// - a hole is given to the smallest outer ring that contains it;
/// - a hole inside no outer ring becomes an outer ring itself (remarked);
/// - when no ring is clockwise, nesting decides: rings inside an even number of others are
///   outers, the rest holes (remarked).
///
/// - Complexity: O(r² · n) for r rings of n positions; r is small for real sites.
enum RingAssembly {
    static func polygons(from rings: [LinearRing]) -> (polygons: [Polygon], remarks: [String]) {
        guard !rings.isEmpty else { return ([], []) }
        var remarks: [String] = []
        var outerIndices = rings.indices.filter { !rings[$0].isCounterClockwise }
        var holeIndices = rings.indices.filter { rings[$0].isCounterClockwise }
        if outerIndices.isEmpty {
            // Every ring runs counter-clockwise: decide by nesting depth.
            let depths = rings.indices.map { i in
                rings.indices.filter { j in j != i && contains(rings[j], rings[i]) }.count
            }
            outerIndices = rings.indices.filter { depths[$0] % 2 == 0 }
            holeIndices = rings.indices.filter { depths[$0] % 2 == 1 }
            if rings.count > 1 || holeIndices.isEmpty == false {
                remarks.append("no clockwise outer ring: rings assigned by nesting")
            }
        }
        var holesOf: [Int: [LinearRing]] = [:]
        for h in holeIndices {
            let hole = rings[h]
            let containers = outerIndices.filter { contains(rings[$0], hole) }
            if let smallest = containers.min(by: { abs(rings[$0].signedArea2) < abs(rings[$1].signedArea2) }) {
                holesOf[smallest, default: []].append(hole)
            } else {
                remarks.append("hole ring \(h + 1) lies in no outer ring: kept as an outer ring")
                outerIndices.append(h)
            }
        }
        outerIndices.sort()
        let polygons = outerIndices.map { Polygon(exterior: rings[$0], holes: holesOf[$0] ?? []) }
        return (polygons, remarks)
    }

    /// Whether `inner` lies inside `outer`: its bounding box fits and a vertex of it that is not
    /// on `outer`'s boundary is inside (even-odd rule). Rings that touch at every vertex count
    /// as not contained.
    static func contains(_ outer: LinearRing, _ inner: LinearRing) -> Bool {
        guard let ob = bounds(outer), let ib = bounds(inner),
              ib.minX >= ob.minX, ib.maxX <= ob.maxX, ib.minY >= ob.minY, ib.maxY <= ob.maxY else { return false }
        for p in inner.positions.dropLast() {
            switch locate(p, in: outer) {
            case .inside: return true
            case .outside: return false
            case .boundary: continue
            }
        }
        return false
    }

    enum Location { case inside, outside, boundary }

    /// Even-odd point-in-ring test with boundary detection.
    static func locate(_ p: Position, in ring: LinearRing) -> Location {
        let pts = ring.positions
        var inside = false
        for i in 0..<(pts.count - 1) {
            let a = pts[i], b = pts[i + 1]
            let cross = (b.x - a.x) * (p.y - a.y) - (p.x - a.x) * (b.y - a.y)
            if cross == 0, min(a.x, b.x) <= p.x, p.x <= max(a.x, b.x), min(a.y, b.y) <= p.y, p.y <= max(a.y, b.y) {
                return .boundary
            }
            if (a.y > p.y) != (b.y > p.y) {
                let xCross = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y)
                if p.x < xCross { inside.toggle() }
            }
        }
        return inside ? .inside : .outside
    }

    private static func bounds(_ ring: LinearRing) -> BoundingBox? {
        Geometry.polygon(Polygon(exterior: ring)).boundingBox
    }
}
