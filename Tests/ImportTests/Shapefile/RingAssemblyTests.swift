import TestSupport
import Geometry
import Testing
@testable import Import

/// Ring assignment for shapefile polygons: seeded random layouts of outer rings with holes,
/// in shuffled order, with the specification's orientation and with every ring reversed.
@Suite struct RingAssemblyTests {

    /// A square ring; clockwise when `clockwise` (the shapefile orientation of outer rings).
    func square(_ x: Double, _ y: Double, _ size: Double, clockwise: Bool) throws -> LinearRing {
        let ccw = [Position(x: x, y: y), Position(x: x + size, y: y), Position(x: x + size, y: y + size),
                   Position(x: x, y: y + size), Position(x: x, y: y)]
        return try LinearRing(clockwise ? ccw.reversed() : ccw)
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8])
    func outersGetExactlyTheirHoles(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let outerCount = Int.random(in: 1...5, using: &random)
        var expected: [Polygon] = []
        for i in 0..<outerCount {
            let x = Double(i) * 20 + Double.random(in: 0...5, using: &random)
            let outer = try square(x, 0, 10, clockwise: true)
            let holes = try (0..<Int.random(in: 0...3, using: &random)).map { h in
                try square(x + 1 + Double(h) * 3, 1 + Double.random(in: 0...5, using: &random), 2, clockwise: false)
            }
            expected.append(Polygon(exterior: outer, holes: holes))
        }
        let rings = expected.flatMap(\.rings).shuffled(using: &random)
        let (polygons, remarks) = RingAssembly.polygons(from: rings)
        #expect(remarks.isEmpty)
        #expect(Set(polygons.map { [$0.rings[0]] + Set($0.holes).sorted { $0.positions[0].x < $1.positions[0].x } })
            == Set(expected.map { [$0.rings[0]] + $0.holes.sorted { $0.positions[0].x < $1.positions[0].x } }))

        // A writer that got every orientation backwards: nesting decides, and says so.
        let reversed = rings.map(\.reversed)
        let (fixed, fixRemarks) = RingAssembly.polygons(from: reversed.map { $0.isCounterClockwise ? $0 : $0.reversed })
        #expect(fixed.count == expected.count)
        #expect(fixed.map(\.holes.count).sorted() == expected.map(\.holes.count).sorted())
        #expect(fixRemarks.contains("no clockwise outer ring: rings assigned by nesting") == (rings.count > 1))
    }

    @Test func holeOutsideEveryOuterBecomesAnOuter() throws {
        let outer = try square(0, 0, 10, clockwise: true)
        let stray = try square(50, 50, 2, clockwise: false)
        let (polygons, remarks) = RingAssembly.polygons(from: [outer, stray])
        #expect(polygons.count == 2)
        #expect(remarks == ["hole ring 2 lies in no outer ring: kept as an outer ring"])
    }

    @Test func nestedIslandInsideAHole() throws {
        let outer = try square(0, 0, 10, clockwise: true)
        let hole = try square(2, 2, 6, clockwise: false)
        let island = try square(4, 4, 2, clockwise: true)
        let (polygons, _) = RingAssembly.polygons(from: [island, hole, outer])
        #expect(polygons.count == 2)
        #expect(polygons.first { $0.rings[0] == outer }?.holes.elementsEqual([hole]) == true)
        #expect(polygons.first { $0.rings[0] == island }?.holes.isEmpty == true)
    }
}
