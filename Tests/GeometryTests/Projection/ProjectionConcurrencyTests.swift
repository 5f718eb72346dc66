import TestSupport
import Testing
@testable import Geometry

/// PROJ objects are not thread-safe; every task has its own context, and the results must be
/// exactly what one thread gets.
@Suite struct ProjectionConcurrencyTests {
    static func positions() -> [Position] {
        var random = SplitMix64(seed: 10_000)
        return (0..<10_000).map { _ in
            Position(x: Double.random(in: 48...54, using: &random), y: Double.random(in: 25...40, using: &random))
        }
    }

    @Test func concurrentTasksWithTheirOwnContextsMatchSerialResults() async throws {
        let input = Self.positions()
        let wgs84 = try CoordinateReferenceSystem.epsg(4326), utm = try CoordinateReferenceSystem.epsg(32639)
        var serial = input
        try Transformer(from: wgs84, to: utm).transform(&serial)

        let results = try await withThrowingTaskGroup(of: [Position].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let context = ProjectionContext()
                    var mine = input
                    try context.transformer(from: wgs84, to: utm).transform(&mine)
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == serial) }
    }

    /// The per-thread context behind the convenience calls is never shared between threads.
    @Test func perThreadContextsMatchSerialResults() async throws {
        let input = Array(Self.positions().prefix(2_000))
        let line = Geometry.lineString(try LineString(input))
        let wgs84 = try CoordinateReferenceSystem.epsg(4326), utm = try CoordinateReferenceSystem.epsg(32639)
        let serial = try line.transformed(from: wgs84, to: utm)
        let results = try await withThrowingTaskGroup(of: Geometry.self) { group in
            for _ in 0..<8 {
                group.addTask { try line.transformed(from: wgs84, to: utm) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        for result in results { #expect(result == serial) }
    }
}
