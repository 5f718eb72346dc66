import Foundation
import Geometry

/// Shapes and distances the synthetic stores of the CLI and server tests are made and checked
/// with: a seeded star-shaped polygon around a centre, and the haversine distance.
///
/// ```swift
/// var rng = SplitMix64(seed: 7)
/// let trench = try FixtureShapes.polygon(around: Position(x: 51.5, y: 35.6), rng: &rng)
/// FixtureShapes.metres(a, b)   // haversine, metres
/// ```
public enum FixtureShapes {
    /// A star-shaped polygon of 6–10 corners, 100 m to 1 km across, counter-clockwise.
    public static func polygon(around c: Position, rng: inout SplitMix64) throws -> Geometry {
        let corners = Int.random(in: 6...10, using: &rng)
        let radius = Double.random(in: 0.001...0.01, using: &rng)
        var ring = (0..<corners).map { k -> Position in
            let a = Double(k) / Double(corners) * 2 * .pi, r = radius * Double.random(in: 0.6...1, using: &rng)
            return Position(x: c.x + r * cos(a), y: c.y + r * sin(a))
        }
        ring.append(ring[0])
        return .polygon(try Polygon(rings: [ring]))
    }

    /// Haversine distance in metres (good to well under a metre at these distances): an
    /// oracle independent of the geodesics under test.
    public static func metres(_ a: Position, _ b: Position) -> Double {
        let r = 6_371_008.8, rad = Double.pi / 180
        let dlat = (b.y - a.y) * rad, dlon = (b.x - a.x) * rad
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(a.y * rad) * cos(b.y * rad) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}
