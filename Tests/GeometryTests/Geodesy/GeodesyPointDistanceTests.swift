import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Point-to-geometry distances checked against brute force, plane geometry and `geod`.
@Suite struct GeodesyPointDistanceTests {
    let g = Geodesic.wgs84

    /// The distance from `p` to the geodesic a→b by grid search: 40 samples, then four
    /// rounds of 40 around the best sample (final spacing below 1e-7 of the edge).
    func bruteDistance(from p: Position, _ a: Position, _ b: Position) -> Double {
        let edge = g.inverse(a, b)
        func at(_ s: Double) -> Double { g.distance(p, g.direct(from: a, azimuth: edge.initialAzimuth, distance: s)) }
        var low = 0.0, high = edge.distance, best = min(at(0), at(edge.distance))
        for _ in 0..<5 {
            let step = (high - low) / 40
            var bestS = low
            var bestHere = Double.infinity
            for k in 0...40 {
                let s = low + Double(k) * step
                let d = at(s)
                if d < bestHere { bestHere = d; bestS = s }
            }
            best = min(best, bestHere)
            low = max(0, bestS - step)
            high = min(edge.distance, bestS + step)
        }
        return best
    }

    /// Grid search over every edge (24 samples each); the full search above runs only on the
    /// edges whose samples could still hide the minimum (distance is 1-Lipschitz along an edge).
    func bruteDistance(from p: Position, toRings rings: [LinearRing]) -> Double {
        let edges = rings.flatMap { ring in Array(zip(ring.positions, ring.positions.dropFirst())) }
        let coarse = edges.map { a, b -> (sampled: Double, step: Double) in
            let edge = g.inverse(a, b)
            let step = edge.distance / 24
            let sampled = (0...24).map { k in
                g.distance(p, g.direct(from: a, azimuth: edge.initialAzimuth, distance: Double(k) * step))
            }.min() ?? .infinity
            return (sampled, step)
        }
        let bound = coarse.map(\.sampled).min() ?? .infinity
        return zip(edges, coarse).filter { $1.sampled - $1.step / 2 <= bound }
            .map { bruteDistance(from: p, $0.0.0, $0.0.1) }.min() ?? .infinity
    }

    /// Plane point-in-ring (crossing number) on longitudes taken relative to the point.
    func planeContains(_ ring: LinearRing, _ p: Position) -> Bool {
        let xs = ring.positions.map { Geodesic.normalisedLongitude($0.x - p.x) }
        var inside = false
        var j = xs.count - 1
        for i in xs.indices {
            let yi = ring.positions[i].y, yj = ring.positions[j].y
            if (yi > p.y) != (yj > p.y), 0 < (xs[j] - xs[i]) * (p.y - yi) / (yj - yi) + xs[i] {
                inside.toggle()
            }
            j = i
        }
        return inside
    }

    /// Inside (by plane geometry, away from the boundary) ⇔ distance 0; outside, the distance
    /// equals the brute-force distance to the rings. Rings near the antimeridian and far north
    /// included, with a hole.
    @Test(arguments: [Position(x: 51.389, y: 35.689), Position(x: 179.99, y: -17.0),
                      Position(x: 25.0, y: 70.0), Position(x: -58.4, y: -34.6)])
    func polygonDistanceMatchesBruteForce(centre: Position) throws {
        var random = SplitMix64(seed: UInt64(abs(centre.x * 1000)))
        let outer = try GeodesyAreaTests.ring(around: centre, radius: 8_000, using: &random)
        let hole = try GeodesyAreaTests.ring(around: centre, radius: 1_500, using: &random)
        let polygon = Polygon(exterior: outer, holes: [hole])
        var insideCount = 0, outsideCount = 0
        for _ in 0..<60 {
            let p = g.direct(from: centre, azimuth: Double.random(in: -180...180, using: &random),
                             distance: Double.random(in: 0...12_000, using: &random))
            let ours = g.distance(from: p, to: .polygon(polygon))
            let brute = bruteDistance(from: p, toRings: polygon.rings)
            if brute > 20 {
                let inside = planeContains(outer, p) && !planeContains(hole, p)
                #expect((ours == 0) == inside, "\(p) inside: \(inside), distance \(ours)")
                if inside { insideCount += 1 } else { outsideCount += 1 }
            }
            if ours > 0 {
                #expect(ours <= brute + 1e-6)
                #expect(brute - ours < 1e-4, "\(p): ours \(ours), brute force \(brute)")
            }
        }
        #expect(insideCount > 5 && outsideCount > 5)
    }

    /// Segments from 10 m to 3000 km: never farther than either end, and equal to brute force.
    @Test func segmentDistanceMatchesBruteForce() {
        var random = SplitMix64(seed: 2017)
        for _ in 0..<150 {
            let a = Position(x: Double.random(in: -180...180, using: &random), y: Double.random(in: -80...80, using: &random))
            let length = pow(10, Double.random(in: 1...6.5, using: &random))
            let b = g.direct(from: a, azimuth: Double.random(in: -180...180, using: &random), distance: length)
            let mid = g.direct(from: a, azimuth: g.inverse(a, b).initialAzimuth, distance: length / 2)
            let p = g.direct(from: mid, azimuth: Double.random(in: -180...180, using: &random),
                             distance: length * Double.random(in: 0...1.5, using: &random))
            let ours = g.distance(from: p, toSegmentFrom: a, to: b)
            // The segment's ends are solved by the inverse problem, the pair distances of short
            // lines from their chord (`shortLineDistance`): they agree within 10 nm.
            #expect(ours <= min(g.distance(p, a), g.distance(p, b)) + 2e-8)
            let brute = bruteDistance(from: p, a, b)
            #expect(ours <= brute + 1e-6 && brute - ours < 1e-4 + 1e-9 * length,
                    "segment \(a)→\(b), point \(p): ours \(ours), brute force \(brute)")
        }
    }

    /// Where an end is the nearest point, the distance is `geod -I`'s to that end.
    @Test func endNearestCaseAgreesWithGeod() throws {
        var random = SplitMix64(seed: 1979)
        var cases: [(p: Position, a: Position, b: Position)] = []
        for _ in 0..<100 {
            let a = Position(x: Double.random(in: -180...180, using: &random), y: Double.random(in: -80...80, using: &random))
            let azimuth = Double.random(in: -180...180, using: &random)
            let b = g.direct(from: a, azimuth: azimuth, distance: Double.random(in: 1...100_000, using: &random))
            let away = azimuth + 180 + Double.random(in: -60...60, using: &random)
            let p = g.direct(from: a, azimuth: away, distance: Double.random(in: 1...100_000, using: &random))
            cases.append((p, a, b))
        }
        let input = cases.map { "\($0.a.y.oracleText) \($0.a.x.oracleText) \($0.p.y.oracleText) \($0.p.x.oracleText)" }
            .joined(separator: "\n")
        let oracle = try Subprocess.numbers(["geod", "-I", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"], input: input)
        try #require(oracle.count == cases.count)
        for (c, row) in zip(cases, oracle) {
            let line = Geometry.lineString(try LineString([c.a, c.b]))
            #expect(abs(g.distance(from: c.p, to: line) - row[2]) < 0.001)
        }
    }

    @Test func edgesAcrossTheAntimeridianAreShort() throws {
        let a = Position(x: 179.9, y: 10), b = Position(x: -179.9, y: 10)
        let p = Position(x: 180, y: 10.05)
        let ours = g.distance(from: p, toSegmentFrom: a, to: b)
        #expect(ours < 6_000)
        #expect(abs(ours - bruteDistance(from: p, a, b)) < 1e-4)
        let ring = try LinearRing([Position(x: 179.9, y: -17.1), Position(x: -179.9, y: -17.1),
                                   Position(x: -179.9, y: -16.9), Position(x: 179.9, y: -16.9),
                                   Position(x: 179.9, y: -17.1)])
        let polygon = Geometry.polygon(Polygon(exterior: ring))
        #expect(g.distance(from: Position(x: 180, y: -17), to: polygon) == 0)
        #expect(g.distance(from: Position(x: -179.95, y: -17), to: polygon) == 0)
        #expect(g.distance(from: Position(x: 179.95, y: -17.05), to: polygon) == 0)
        let outside = Position(x: 179.8, y: -17)
        #expect(abs(g.distance(from: outside, to: polygon) - bruteDistance(from: outside, toRings: [ring])) < 1e-4)
        let area = g.area(of: polygon)
        #expect(area > 4.0e8 && area < 5.0e8)   // 0.2° × 0.2° near 17° S: about 21 km × 22 km
    }

    @Test func segmentsOverThePole() {
        let a = Position(x: 0, y: 89.5), b = Position(x: 180, y: 89.5)
        #expect(g.distance(from: Position(x: 45, y: 90), toSegmentFrom: a, to: b) < 1e-3)
        for p in [Position(x: 90, y: 89.9), Position(x: -30, y: 89.99), Position(x: 170, y: 89.0)] {
            let ours = g.distance(from: p, toSegmentFrom: a, to: b)
            #expect(abs(ours - bruteDistance(from: p, a, b)) < 1e-4, "\(p)")
        }
    }

    @Test func multiPartsTakeTheNearestAndEmptyIsInfinitelyFar() throws {
        let p = Position(x: 51.389, y: 35.689)
        let near = Position(x: 51.39, y: 35.69), far = Position(x: 52, y: 36)
        let multi = Geometry.multiPoint(try MultiPoint(positions: [far, near]))
        #expect(g.distance(from: p, to: multi) == g.distance(p, near))
        let collection = Geometry.geometryCollection(GeometryCollection([
            .lineString(try LineString([])), .point(try Point(far)), multi,
        ]))
        #expect(g.distance(from: p, to: collection) == g.distance(p, near))
        #expect(g.distance(from: p, to: .lineString(try LineString([]))) == .infinity)
        #expect(g.distance(from: p, to: .polygon(.empty)) == .infinity)
        #expect(g.distance(from: near, to: .lineString(try LineString([p, near, far]))) == 0)
    }
}
