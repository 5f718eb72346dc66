import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Eight tasks, each with its own GEOS and PROJ context, must give exactly the serial answers.
/// Run under `swift test --sanitize=thread` to catch any sharing of C state.
@Suite struct ConcurrencyTests {
    struct Work: Sendable {
        let utm: [Position]
        let polygons: [Geometry]
    }

    static func makeWork(seed: UInt64) throws -> Work {
        var rng = SplitMix64(seed: seed)
        let utm = (0..<5_000).map { _ in
            Position(x: Double.random(in: 200_000...800_000, using: &rng), y: Double.random(in: 2_800_000...4_400_000, using: &rng))
        }
        let polygons: [Geometry] = try (0..<60).map { _ in
            let cx = Double.random(in: 0...10, using: &rng), cy = Double.random(in: 0...10, using: &rng)
            let r = Double.random(in: 0.5...3, using: &rng)
            var ring = (0..<9).map { k -> Position in
                let a = Double(k) / 9 * 2 * .pi
                return Position(x: cx + r * cos(a) * Double.random(in: 0.5...1, using: &rng), y: cy + r * sin(a))
            }
            ring.append(ring[0])
            return .polygon(Polygon(exterior: try LinearRing(ring)))
        }
        return Work(utm: utm, polygons: polygons)
    }

    /// Transformed positions and the exact WKB of every pairwise intersection.
    static func run(_ work: Work) throws -> ([Position], [[UInt8]]) {
        let geos = try GEOSContext()
        let proj = ProjectionContext()
        let transformer = try proj.transformer(
            from: CoordinateReferenceSystem("EPSG:32639", in: proj), to: CoordinateReferenceSystem("EPSG:4326", in: proj))
        var positions = work.utm
        try transformer.transform(&positions)
        var overlays: [[UInt8]] = []
        for i in work.polygons.indices {
            for j in work.polygons.indices where j > i {
                overlays.append(try geos.intersection(work.polygons[i], work.polygons[j]).wkb())
            }
        }
        return (positions, overlays)
    }

    @Test func eightTasksMatchSerial() async throws {
        let work = try Self.makeWork(seed: 1988)
        let serial = try Self.run(work)
        #expect(serial.1.count == 60 * 59 / 2)
        let results = try await withThrowingTaskGroup(of: ([Position], [[UInt8]]).self) { group in
            for _ in 0..<8 { group.addTask { try Self.run(work) } }
            var all: [([Position], [[UInt8]])] = []
            for try await r in group { all.append(r) }
            return all
        }
        #expect(results.count == 8)
        for r in results {
            #expect(r.0 == serial.0)
            #expect(r.1 == serial.1)
        }
    }
}
