import Foundation
import Geometry
import Testing
import TestSupport
@testable import Store

/// `within` an area read as written (RFC 7946, `Geometry.splitIntoHemispheres`): areas wider
/// than 180°, the whole world and caps over either pole find exactly the sites a brute-force
/// pass over every stored site finds (a point is in a box when its coordinates are).
@Suite struct WideAreaTests {
    static func box(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) throws -> Geometry {
        .polygon(try Polygon(rings: [[Position(x: x0, y: y0), Position(x: x1, y: y0), Position(x: x1, y: y1),
                                      Position(x: x0, y: y1), Position(x: x0, y: y0)]]))
    }

    /// The area as the command line reads it: its polygons cut into hemispheres.
    static func asWritten(_ area: Geometry) throws -> Geometry {
        let parts = try area.splitIntoHemispheres().flatMap(\.polygonParts)
        return parts.count == 1 ? .polygon(parts[0]) : .multiPolygon(MultiPolygon(parts))
    }

    @Test func wideBoxesTheWorldAndPolarCapsMatchBruteForce() throws {
        var rng = SplitMix64(seed: 14)
        var sites: [Site] = []
        // Random points, the poles, both spellings of the antimeridian and the corners.
        for i in 0..<400 {
            sites.append(try SiteFixtures.point(Double.random(in: -180...180, using: &rng),
                                                Double.random(in: -90...90, using: &rng), name: "r\(i)"))
        }
        for (x, y) in [(0.0, 90.0), (123.0, -90.0), (-180.0, 0.0), (180.0, 5.0), (-180.0, -90.0), (180.0, 90.0), (175.0, 0.0), (-175.0, 0.0)] {
            sites.append(try SiteFixtures.point(x, y, name: "fixed \(x) \(y)"))
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("wide.gpkg"))
        try store.insertBatch(sites)
        let boxes: [(Double, Double, Double, Double)] = [
            (-180, -90, 180, 90), (-170, -10, 170, 10), (-180, 80, 180, 90), (-180, -90, 180, -75),
            (-179, -45, 179, 45), (-90, -90, 90, 90), (10, 20, 30, 40),
        ]
        for b in boxes {
            let found = Set(try store.within(try Self.asWritten(try Self.box(b.0, b.1, b.2, b.3))).map(\.site.name))
            let expected = Set(sites.filter { site in
                guard case let .point(p) = site.geometry else { return false }
                return (b.0...b.2).contains(p.position.x) && (b.1...b.3).contains(p.position.y)
            }.map(\.name))
            #expect(found == expected, "\(b): missing \(expected.subtracting(found).sorted()), extra \(found.subtracting(expected).sorted())")
            #expect(!expected.isEmpty)
        }
        // The wide box is wide: 0° is in it, ±175° is not.
        let wide = Set(try store.within(try Self.asWritten(try Self.box(-170, -10, 170, 10))).map(\.site.name))
        #expect(!wide.contains("fixed 175.0 0.0") && !wide.contains("fixed -175.0 0.0"))
        try store.close()
    }

    /// The store's own reading is kept for one polygon: a ring drawn across the antimeridian
    /// is the short way round; a multipolygon with a part each side is read part by part.
    @Test func aMultipolygonEachSideIsReadPartByPart() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("parts.gpkg"))
        try store.insertBatch([try SiteFixtures.point(175, 0, name: "east"), try SiteFixtures.point(-175, 0, name: "west"),
                               try SiteFixtures.point(0, 0, name: "middle")])
        let across = try Self.box(170, -10, -170, 10)
        #expect(Set(try store.within(across).map(\.site.name)) == ["east", "west"])
        guard case let .polygon(east) = try Self.box(170, -10, 180, 10), case let .polygon(west) = try Self.box(-180, -10, -170, 10) else { return }
        let pair = Geometry.multiPolygon(MultiPolygon([east, west]))
        #expect(Set(try store.within(pair).map(\.site.name)) == ["east", "west"])
        try store.close()
    }
}
