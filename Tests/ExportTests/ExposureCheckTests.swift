import Export
import Foundation
import Geometry
import Store
import TestSupport
import Testing

/// `ExposureCheck` against every pair measured one by one: the same exposures, distances and
/// order, on sites packed around bucket edges, west of Greenwich, south of the equator and
/// near a pole.
@Suite struct ExposureCheckTests {
    static func site(_ p: Position, _ sensitivity: Sensitivity) throws -> Site {
        Site(geometry: .point(try Point(p)), name: "site", type: .massGrave, status: .reported, condition: .unknown,
             sensitivity: sensitivity)
    }

    @Test func findsWhatEveryPairMeasuredFinds() throws {
        var rng = SplitMix64(seed: 1988)
        let centres = [Position(x: -3.7005, y: 40.4165), Position(x: 51.0, y: 35.7), Position(x: -99.1335, y: -19.4),
                       Position(x: 104.9, y: 11.5555), Position(x: 12.0, y: 88.9995)]
        var rows: [SiteRow] = []
        for centre in centres {
            for i in 0..<120 {
                // Within some 300 m of a point on a bucket's corner (0.001° grid).
                let p = Position(x: centre.x + Double.random(in: -0.003...0.003, using: &rng),
                                 y: centre.y + Double.random(in: -0.003...0.003, using: &rng))
                let generalised = i % 5 == 0
                rows.append(SiteRow(site: try Self.site(p, generalised ? .restricted : .public),
                                    treatment: generalised ? .generalised : i % 17 == 0 ? .withheld : .exact))
            }
        }
        var check = ExposureCheck()
        for row in rows { check.note(row) }
        var expected: [(protected: UUID, exact: UUID, distance: Double)] = []
        for g in rows where g.treatment == .generalised {
            for e in rows where e.treatment == .exact {
                guard let a = g.site.geometry.boundingBox?.center, let b = e.site.geometry.boundingBox?.center else { continue }
                let d = Geodesic.wgs84.distance(a, b)
                if d <= 50 {
                    expected.append((g.site.id, e.site.id, d))
                }
            }
        }
        expected.sort { ($0.protected.text, $0.distance, $0.exact.text) < ($1.protected.text, $1.distance, $1.exact.text) }
        let found = check.exposures()
        #expect(found.map(\.protectedID) == expected.map(\.protected))
        #expect(found.map(\.exactID) == expected.map(\.exact))
        #expect(found.map(\.distanceM) == expected.map(\.distance))
        #expect(found.allSatisfy { $0.sensitivity == .restricted })
        #expect(expected.count > 20, "the sites are close enough to expose some: \(expected.count)")

        // A view that generalises nothing notes nothing, so finds nothing.
        var none = ExposureCheck(generalises: false)
        for row in rows { none.note(row) }
        #expect(none.exposures().isEmpty)
    }
}
