#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension Geodesic {
    /// The geodesic distance in metres from a position to the nearest point of a geometry.
    ///
    /// ```swift
    /// let d = Geodesic.wgs84.distance(from: witness, to: .polygon(siteOutline))   // 0 inside
    /// ```
    /// - Lines and ring edges are geodesics; the nearest point on each is found exactly
    ///   (to well under a millimetre), not just among the vertices.
    /// - 0 when the position is inside a polygon (holes are outside) or on a line.
    /// - Multi geometries and collections: the smallest distance to any part.
    /// - An empty geometry is infinitely far.
    /// - An edge joins its ends the short way round, so an edge from 179.9° to -179.9°
    ///   is 0.2° long, across the antimeridian.
    /// - Polygons must not enclose a pole (see `contains`); distances near the poles are
    ///   exact, as everywhere.
    /// - Complexity: O(n) inverse problems for n positions, plus a few iterations for each
    ///   edge that could be nearer than the nearest vertex.
    public func distance(from position: Position, to geometry: Geometry) -> Double {
        switch geometry {
        case let .point(point):
            return distance(position, point.position)
        case let .multiPoint(multi):
            return multi.points.reduce(.infinity) { min($0, distance(position, $1.position)) }
        case let .lineString(line):
            return distance(from: position, toPath: line.positions)
        case let .multiLineString(multi):
            return multi.lineStrings.reduce(.infinity) { min($0, distance(from: position, toPath: $1.positions)) }
        case let .polygon(polygon):
            return distance(from: position, to: polygon)
        case let .multiPolygon(multi):
            return multi.polygons.reduce(.infinity) { min($0, distance(from: position, to: $1)) }
        case let .geometryCollection(collection):
            return collection.geometries.reduce(.infinity) { min($0, distance(from: position, to: $1)) }
        }
    }

    /// 0 inside the polygon, else the distance to the nearest ring.
    func distance(from position: Position, to polygon: Polygon) -> Double {
        if polygon.isEmpty { return .infinity }
        if contains(polygon, position) { return 0 }
        return polygon.rings.reduce(.infinity) { min($0, distance(from: position, toPath: $1.positions)) }
    }

    /// The distance from a position to a path of geodesic segments through `positions`.
    ///
    /// Great-circle distances on the sphere of radius a bound the ellipsoidal ones from both
    /// sides (see `sphereBounds`), so edges that cannot be nearer than the best found so far
    /// are skipped before any geodesic is solved; the nearest vertex (on the sphere) is
    /// measured first to make that best small early. Vertices are measured as `distance(_:_:)`
    /// measures two positions (from the chord when near); the inverse problem, with its
    /// azimuths, is solved only for the ends of an edge whose interior may be nearer.
    func distance(from position: Position, toPath positions: [Position]) -> Double {
        guard !positions.isEmpty else { return .infinity }
        let sphere = positions.map { sphereDistance(position, $0) }
        var measured = [Double](repeating: -1, count: positions.count)
        func vertex(_ index: Int) -> Double {
            if measured[index] >= 0 { return measured[index] }
            let d = distance(positions[index], position)
            measured[index] = d
            return d
        }
        var exact = [GeodesicInverse?](repeating: nil, count: positions.count)
        func solved(_ index: Int) -> GeodesicInverse {
            if let known = exact[index] { return known }
            let answer = inverse(positions[index], position)
            exact[index] = answer
            return answer
        }
        // cannot fail: `positions` is not empty, so neither is `sphere`.
        let nearest = sphere.indices.min { sphere[$0] < sphere[$1] }!
        var best = vertex(nearest)
        let lower = sphereLowerFactor, upper = sphereUpperFactor
        for index in positions.indices.dropFirst() where best > 0 {
            let a = positions[index - 1], b = positions[index]
            // Triangle inequality: no point of an edge of length L is nearer than
            // (dA + dB - L) / 2; first with sphere bounds, then with the ends measured and L
            // bounded on the sphere, then with the exact lengths.
            let longest = upper * sphereDistance(a, b)
            let cheap = (lower * (sphere[index - 1] + sphere[index]) - longest) / 2
            guard cheap < best else { continue }
            let dA = vertex(index - 1), dB = vertex(index)
            best = min(best, dA, dB)
            guard (dA + dB - longest) / 2 < best else { continue }
            let fromA = solved(index - 1), fromB = solved(index)
            let edge = inverse(a, b)
            if (fromA.distance + fromB.distance - edge.distance) / 2 < best {
                best = min(best, interiorDistance(from: position, a: a, b: b, edge: edge,
                                                  fromA: fromA, fromB: fromB))
            }
        }
        return best
    }

    /// The distance from a position to a geodesic segment, ends included.
    ///
    /// ```swift
    /// Geodesic.wgs84.distance(from: p, toSegmentFrom: a, to: b)   // ≤ distance to a or b
    /// ```
    public func distance(from position: Position, toSegmentFrom a: Position, to b: Position) -> Double {
        distance(from: position, toPath: [a, b])
    }

    /// Ellipsoidal distance ≥ this × `sphereDistance`: the least radius of curvature over a
    /// (a(1−e²) = 0.99331 a for WGS84), less a margin for rounding.
    var sphereLowerFactor: Double {
        let e2 = ellipsoid.e2
        return min(1 - e2, 1 / (1 - e2).squareRoot(), 1) * (1 - 1e-9)
    }

    /// Ellipsoidal distance ≤ this × `sphereDistance`: the greatest radius of curvature over
    /// a (a/√(1−e²) = 1.00337 a for WGS84), plus a margin for rounding.
    var sphereUpperFactor: Double {
        let e2 = ellipsoid.e2
        return max(1 - e2, 1 / (1 - e2).squareRoot(), 1) * (1 + 1e-9)
    }

    /// The great-circle distance between the same coordinates on the sphere of radius a.
    /// Only meant for bounds (see the two factors); a few ulps of rounding are covered by them.
    func sphereDistance(_ a: Position, _ b: Position) -> Double {
        let radians = Double.pi / 180
        let dLat = (b.latitude - a.latitude) * radians, dLon = (b.longitude - a.longitude) * radians
        let h = sin(dLat / 2) * sin(dLat / 2)
            + cos(a.latitude * radians) * cos(b.latitude * radians) * sin(dLon / 2) * sin(dLon / 2)
        return equatorialRadius * 2 * asin(min(1, h.squareRoot()))
    }
}
