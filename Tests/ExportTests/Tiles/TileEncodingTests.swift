import TestSupport
@testable import Export
import Foundation
import Geometry
import Testing

@Suite struct TileEncodingTests {
    @Test func varintsAndZigzagFollowTheProtobufSpecification() {
        var w = ProtobufWriter()
        w.writeVarint(1); w.writeVarint(150); w.writeVarint(300); w.writeVarint(UInt64.max)
        #expect(w.bytes == [0x01, 0x96, 0x01, 0xAC, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01])
        #expect([0, -1, 1, -2, 2147483647, -2147483648].map { ProtobufWriter.zigzag32($0) }
            == [0, 1, 2, 3, 4294967294, 4294967295])
        #expect(ProtobufWriter.zigzag(-3) == 5)
    }

    @Test func pointCommandsAreMoveToWithZigzagDeltas() {
        // MVT 2.1 spec example: a point at (25, 17) is [9, 50, 34].
        #expect(TileGeometry.points([TilePoint(x: 25, y: 17)]).commands == [9, 50, 34])
        // Multipoint (5,7), (3,2): [17, 10, 14, 3, 9].
        #expect(TileGeometry.points([TilePoint(x: 5, y: 7), TilePoint(x: 3, y: 2)]).commands == [17, 10, 14, 3, 9])
    }

    @Test func repeatedPositionsNeverBecomeZeroLengthLineTo() throws {
        let line = TileGeometry.lines([[TilePoint(x: 2, y: 2), TilePoint(x: 2, y: 2), TilePoint(x: 2, y: 10), TilePoint(x: 10, y: 10)]])
        let parts = try MVTValidator.commands(line.commands, type: 2)
        #expect(parts.count == 1 && parts[0].count == 3)
        let collapsed = TileGeometry.lines([[TilePoint(x: 2, y: 2), TilePoint(x: 2, y: 2)]])
        #expect(collapsed.commands.isEmpty)
    }

    @Test func hilbertIDsMatchThePMTilesReference() throws {
        var rng = SplitMix64(seed: 7)
        let tiles = (0..<300).map { _ -> TileCoordinate in
            let z = Int.random(in: 0...20, using: &rng)
            let n = 1 << z
            return TileCoordinate(z: z, x: Int.random(in: 0..<n, using: &rng), y: Int.random(in: 0..<n, using: &rng))
        }
        let input = tiles.map { "\($0.z) \($0.x) \($0.y)" }.joined(separator: ",")
        let out = try runPython("""
            import sys
            from pmtiles.tile import zxy_to_tileid
            print(" ".join(str(zxy_to_tileid(*map(int, t.split()))) for t in sys.argv[1].split(",")))
            """, [input])
        let reference = out.split(separator: " ").map { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(reference == tiles.map { Optional($0.hilbertID) })
        for t in tiles { #expect(TileCoordinate(hilbertID: t.hilbertID) == t) }
    }

    @Test func mercatorMatchesProj() throws {
        var rng = SplitMix64(seed: 11)
        let points = (0..<50).map { _ in
            Position(x: Double.random(in: -179.9...179.9, using: &rng), y: Double.random(in: -85...85, using: &rng))
        }
        // cs2cs reads EPSG:4326 as latitude, longitude.
        let input = points.map { "\($0.y) \($0.x)" }.joined(separator: "\n") + "\n"
        let r = try runTool(["cs2cs", "-f", "%.4f", "EPSG:4326", "EPSG:3857"], stdin: input)
        let lines = r.out.split(separator: "\n")
        #expect(lines.count == points.count)
        let circumference = 2 * Double.pi * 6_378_137
        for (p, line) in zip(points, lines) {
            let v = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).compactMap { Double($0) }
            let w = WebMercator.world(p)
            #expect(abs((w.x - 0.5) * circumference - v[0]) < 0.01)
            #expect(abs((0.5 - w.y) * circumference - v[1]) < 0.01)
        }
    }

    @Test func tileBoundsContainTheirPositions() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<200 {
            let p = Position(x: Double.random(in: -180..<180, using: &rng), y: Double.random(in: -85...85, using: &rng))
            let z = Int.random(in: 0...18, using: &rng)
            let t = TileCoordinate(containing: p, zoom: z)
            #expect(t.bounds.contains(p))
            let u = t.tileUnits(p)
            #expect(u.x >= 0 && u.x <= 4096 && u.y >= 0 && u.y <= 4096)
            #expect(t.tmsRow == (1 << z) - 1 - t.y)
        }
    }
}
