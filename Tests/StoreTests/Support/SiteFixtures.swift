import Foundation
import Geometry
@testable import Store

/// Small deterministic sites for tests.
enum SiteFixtures {
    static func point(_ lon: Double, _ lat: Double, name: String = "site", id: UUID = UUID()) throws -> Site {
        Site(id: id, geometry: .point(try Point(x: lon, y: lat)), name: name, type: .massGrave,
             status: .reported, sensitivity: .public)
    }

    /// An axis-aligned square polygon centred on (lon, lat) with half-side `half` degrees.
    static func square(_ lon: Double, _ lat: Double, half: Double, name: String = "area") throws -> Site {
        let ring = [
            Position(x: lon - half, y: lat - half), Position(x: lon + half, y: lat - half),
            Position(x: lon + half, y: lat + half), Position(x: lon - half, y: lat + half),
            Position(x: lon - half, y: lat - half),
        ]
        return Site(geometry: .polygon(try Polygon(rings: [ring])), name: name, type: .cemetery,
                    status: .confirmed, sensitivity: .public)
    }
}

/// A small seeded generator (SplitMix64) so random tests repeat exactly.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
