import TestSupport
import Foundation
import Testing
@testable import Geometry

/// Short lines measured from their chord (`shortLineDistance`, which `distance(_:_:)` uses up
/// to 20 km) against the inverse problem (Karney's series in PROJ): everywhere on Earth, at
/// the poles, across the antimeridian, from zero length to the 20 km limit.
@Suite struct GeodesyShortLineTests {
    let g = Geodesic.wgs84

    @Test func chordMeasureAgreesWithTheInverseProblemToNanometres() throws {
        var random = SplitMix64(seed: 1936)
        var worst = 0.0, measured = 0
        for i in 0..<20_000 {
            // One in ten within 0.2° of a pole.
            let y = i % 10 == 0 ? (Bool.random(using: &random) ? 1 : -1) * (90 - Double.random(in: 0...0.2, using: &random))
                                : Double.random(in: -90...90, using: &random)
            let a = Position(x: Double.random(in: -180...180, using: &random), y: y)
            // Lengths spread over six decades, most of them around a kilometre.
            let s = pow(10, Double.random(in: -3...log10(19_900), using: &random))
            let b = g.direct(from: a, azimuth: Double.random(in: -180..<180, using: &random), distance: s)
            let exact = g.inverse(a, b).distance
            guard let short = g.shortLineDistance(a, b) else {
                Issue.record("no short measure for \(a) → \(b), \(exact) m")
                continue
            }
            worst = max(worst, abs(short - exact))
            measured += 1
        }
        #expect(measured == 20_000)
        #expect(worst < 2e-8, "largest difference \(worst) m")
    }

    @Test func edgeCases() throws {
        let p = Position(x: 51.389, y: 35.689)
        #expect(g.shortLineDistance(p, p) == 0)
        #expect(g.distance(p, p) == 0)
        // Across the antimeridian: the short way round.
        let west = Position(x: 179.999, y: -17), east = Position(x: -179.999, y: -17)
        let across = try #require(g.shortLineDistance(west, east))
        #expect(abs(across - g.inverse(west, east).distance) < 1e-8)
        // Through a pole.
        let a = Position(x: 10, y: 89.99), b = Position(x: -170, y: 89.99)
        #expect(abs((g.shortLineDistance(a, b) ?? -1) - g.inverse(a, b).distance) < 1e-8)
        // Longer than the chord limit: the inverse problem.
        let far = Position(x: 51.7, y: 35.689)
        #expect(g.shortLineDistance(p, far) == nil)
        #expect(g.distance(p, far) == g.inverse(p, far).distance)
    }
}
