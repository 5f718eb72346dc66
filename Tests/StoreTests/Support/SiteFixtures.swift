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

