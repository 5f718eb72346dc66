import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Polygon areas and perimeters checked against an independent computation.
///
/// PROJ's `geod` has no polygon-area mode, so the area oracle is built from other PROJ
/// programs and a different method: every geodesic edge is densified with `geod` (direct
/// mode), the points are projected with `cs2cs` to a Lambert azimuthal equal-area projection
/// on the WGS84 ellipsoid centred on the polygon, and the planar shoelace area is taken.
/// Equal-area means planar area = ellipsoidal area, so this shares no code with
/// `geod_polygonarea`. Perimeters are sums of `geod -I` edge lengths.
@Suite struct GeodesyAreaTests {
    static let centres = [
        Position(x: 51.389, y: 35.689), Position(x: 48.669, y: 31.318), Position(x: 2.0, y: 0.0),
        Position(x: -58.4, y: -34.6), Position(x: 25.0, y: 70.0), Position(x: 179.95, y: -17.0),
        Position(x: -179.99, y: 52.0), Position(x: 18.4, y: 43.85),
    ]

    /// A seeded star-shaped (hence simple) ring around `centre`, radius up to `radius` metres.
    static func ring(around centre: Position, radius: Double, using random: inout SplitMix64) throws -> LinearRing {
        let count = Int.random(in: 5...10, using: &random)
        let angles = (0..<count).map { _ in Double.random(in: 0..<(2 * .pi), using: &random) }.sorted()
        var positions = angles.map { angle -> Position in
            let r = radius * Double.random(in: 0.4...1, using: &random)
            let dx = r * cos(angle) / (111_320 * cos(centre.y * .pi / 180))
            let dy = r * sin(angle) / 110_574
            var x = centre.x + dx
            if x > 180 { x -= 360 } else if x < -180 { x += 360 }
            return Position(x: x, y: centre.y + dy)
        }
        positions.append(positions[0])
        return try LinearRing(positions)
    }

    static func polygons() throws -> [(centre: Position, ring: LinearRing)] {
        var random = SplitMix64(seed: 1367)
        var result: [(Position, LinearRing)] = []
        for centre in centres {
            for radius in [300.0, 5_000, 60_000] {
                result.append((centre, try ring(around: centre, radius: radius, using: &random)))
            }
        }
        return result
    }

    /// The areas of rings by densifying with `geod` (two runs for all rings) and projecting
    /// each ring to its own LAEA with `cs2cs`.
    static func oracleAreas(of polygons: [(centre: Position, ring: LinearRing)]) throws -> [Double] {
        let edgePairs = polygons.map { Array(zip($0.ring.positions, $0.ring.positions.dropFirst())) }
        let edgeInput = edgePairs.joined().map { a, b in
            "\(a.y.oracleText) \(a.x.oracleText) \(b.y.oracleText) \(b.x.oracleText)"
        }.joined(separator: "\n")
        let edges = try Subprocess.numbers(["geod", "-I", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"],
                                           input: edgeInput)
        let steps = 16
        var directInput: [String] = []
        for ((a, _), edge) in zip(edgePairs.joined(), edges) {
            for k in 0..<steps {
                let s = edge[2] * Double(k) / Double(steps)
                directInput.append("\(a.y.oracleText) \(a.x.oracleText) \(edge[0].oracleText) \(s.oracleText)")
            }
        }
        let dense = try Subprocess.numbers(["geod", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"],
                                           input: directInput.joined(separator: "\n"))
        // One cs2cs run per centre, for all the rings around it.
        var ranges: [Range<Int>] = []
        var offset = 0
        for pairs in edgePairs {
            ranges.append(offset..<(offset + pairs.count * steps))
            offset += pairs.count * steps
        }
        var areas = [Double](repeating: 0, count: polygons.count)
        for centre in Set(polygons.map(\.centre)) {
            let members = polygons.indices.filter { polygons[$0].centre == centre }
            let input = members.flatMap { dense[ranges[$0]] }
                .map { "\($0[1].oracleText) \($0[0].oracleText)" }.joined(separator: "\n")
            let projected = try Subprocess.numbers(
                ["cs2cs", "-f", "%.6f", "+proj=longlat", "+ellps=WGS84", "+to",
                 "+proj=laea", "+lat_0=\(centre.y)", "+lon_0=\(centre.x)", "+ellps=WGS84"],
                input: input)
            var start = 0
            for member in members {
                let ring = projected[start..<(start + ranges[member].count)]
                start += ranges[member].count
                var twice = 0.0
                for i in ring.indices {
                    let p = ring[i], q = ring[i + 1 == ring.endIndex ? ring.startIndex : i + 1]
                    twice += p[0] * q[1] - q[0] * p[1]
                }
                areas[member] = abs(twice) / 2
            }
        }
        return areas
    }

    @Test func areasAgreeWithAnEqualAreaProjection() throws {
        var worst = 0.0
        let polygons = try Self.polygons()
        let oracles = try Self.oracleAreas(of: polygons)
        for ((centre, ring), oracle) in zip(polygons, oracles) {
            let ours = Geodesic.wgs84.area(of: .polygon(Polygon(exterior: ring)))
            let relative = abs(ours - oracle) / oracle
            worst = max(worst, relative)
            #expect(relative < 1e-4, "at \(centre): ours \(ours) m², oracle \(oracle) m²")
        }
        #expect(worst < 1e-4, "largest relative difference \(worst)")
    }

    @Test func perimetersAgreeWithGeod() throws {
        let rings = try Self.polygons().map(\.ring)
        let input = rings.flatMap { ring in
            zip(ring.positions, ring.positions.dropFirst()).map { a, b in
                "\(a.y.oracleText) \(a.x.oracleText) \(b.y.oracleText) \(b.x.oracleText)"
            }
        }.joined(separator: "\n")
        let edges = try Subprocess.numbers(["geod", "-I", "+ellps=WGS84", "-f", "%.12f", "-F", "%.6f"],
                                           input: input)
        var offset = 0
        for ring in rings {
            let count = ring.positions.count - 1
            let oracle = edges[offset..<(offset + count)].reduce(0) { $0 + $1[2] }
            offset += count
            #expect(abs(Geodesic.wgs84.perimeter(of: .polygon(Polygon(exterior: ring))) - oracle) < 0.001)
        }
    }

    @Test func holesAreSubtractedAndPartsAdded() throws {
        var random = SplitMix64(seed: 5)
        let centre = Position(x: 51.389, y: 35.689)
        let outer = try Self.ring(around: centre, radius: 5_000, using: &random)
        let inner = try Self.ring(around: centre, radius: 1_000, using: &random)
        let g = Geodesic.wgs84
        let outerArea = g.area(of: .polygon(Polygon(exterior: outer)))
        let innerArea = g.area(of: .polygon(Polygon(exterior: inner)))
        let withHole = Polygon(exterior: outer, holes: [inner])
        #expect(abs(g.area(of: .polygon(withHole)) - (outerArea - innerArea)) < 1e-6)
        #expect(g.area(of: .polygon(Polygon(exterior: outer.reversed))) == outerArea)
        let multi = Geometry.multiPolygon(MultiPolygon([withHole, Polygon(exterior: inner)]))
        #expect(abs(g.area(of: multi) - outerArea) < 1e-6)
        let collection = Geometry.geometryCollection(GeometryCollection([multi, .point(try Point(centre))]))
        #expect(g.area(of: collection) == g.area(of: multi))
        #expect(abs(g.perimeter(of: .polygon(withHole))
                    - g.perimeter(of: .polygon(Polygon(exterior: outer)))
                    - g.perimeter(of: .polygon(Polygon(exterior: inner)))) < 1e-6)
        #expect(g.area(of: .lineString(try LineString(outer.positions))) == 0)
        #expect(g.perimeter(of: .point(try Point(centre))) == 0)
    }
}
