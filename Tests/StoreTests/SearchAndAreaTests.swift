import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

@Suite struct SearchTests {
    @Test func findsPersianAndLatinNamesAndDescriptions() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("search.gpkg"))
        var khavaran = try SiteFixtures.point(51.5485, 35.6, name: "Khavaran")
        khavaran.names = [SiteName(language: "fa", name: "گورستان خاوران")]
        khavaran.description = "Unmarked trenches; bulldozed in 2021."
        var ahvaz = try SiteFixtures.point(48.72, 31.30, name: "Ahvaz")
        ahvaz.names = [SiteName(language: "fa", name: "گور دسته‌جمعی اهواز"), SiteName(language: "es", name: "Fosa común de Ahváz")]
        try store.insert(khavaran)
        try store.insert(ahvaz)
        #expect(try store.search("خاوران").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("گورستان").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("bulldozed").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("ahvaz").map(\.site.name) == ["Ahvaz"])      // diacritics folded
        #expect(try store.search("fosa comun").map(\.site.name) == ["Ahvaz"])
        #expect(try store.search("اهواز").map(\.site.name) == ["Ahvaz"])
        #expect(try store.search("Khav*").map(\.site.name) == ["Khavaran"])
        #expect(try store.search("\"unbalanced").isEmpty)
        // Names edited later are searchable too (the index follows the names table).
        var renamed = khavaran
        renamed.names = [SiteName(language: "fa", name: "لعنت‌آباد")]
        try store.update(renamed)
        #expect(try store.search("خاوران").isEmpty)
        #expect(try store.search("لعنت‌آباد").map(\.site.name) == ["Khavaran"])
        try store.deleteSite(id: khavaran.id)
        #expect(try store.search("Khavaran").isEmpty)
        try store.close()
    }
}

@Suite struct AreaTests {
    /// Clustered random squares so many overlap; compared with every pair through GEOS.
    @Test func overlapsEqualsBruteForcePairwiseGEOS() throws {
        var rng = SplitMix64(seed: 3)
        var sites: [Site] = []
        for i in 0..<150 {
            let cx = [51.5, -179.95, 120.0][i % 3] + Double.random(in: -0.02...0.02, using: &rng)
            let cy = [35.6, 10.0, 78.0][i % 3] + Double.random(in: -0.02...0.02, using: &rng)
            sites.append(try SiteFixtures.square(max(-179.99, cx), cy, half: Double.random(in: 0.0005...0.006, using: &rng), name: "s\(i)"))
            if i % 5 == 0 { sites.append(try SiteFixtures.point(cx, cy)) }
        }
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("overlaps.gpkg"))
        try store.insertBatch(sites)
        let got = try store.overlaps(minOverlap: 1)

        var expected: [String: Double] = [:]
        for i in sites.indices {
            for j in sites.indices where j > i {
                guard SiteStore.isPolygonal(sites[i].geometry), SiteStore.isPolygonal(sites[j].geometry) else { continue }
                let overlap = try Geodesic.wgs84.area(of: sites[i].geometry.intersection(sites[j].geometry))
                if overlap > 1 { expected["\(sites[i].id) \(sites[j].id)"] = overlap }
            }
        }
        #expect(expected.count > 20, "the data should overlap often")
        #expect(got.count == expected.count)
        for o in got {
            let key = "\(o.a.id) \(o.b?.id.uuidString ?? "")"
            #expect(abs((expected[key] ?? -1) - o.overlapM2) < 1e-6 * max(1, o.overlapM2), "\(key)")
            #expect(o.shareA > 0 && o.shareA <= 1 + 1e-9 && o.shareB > 0 && o.shareB <= 1 + 1e-9)
        }
        #expect(zip(got, got.dropFirst()).allSatisfy { $0.overlapM2 >= $1.overlapM2 })
        try store.close()
    }

    @Test func withinAndOverlapsWithAnArea() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("area.gpkg"))
        let inside = try SiteFixtures.point(51.55, 35.60, name: "inside")
        let edge = try SiteFixtures.point(51.56, 35.60, name: "on the edge")
        let outside = try SiteFixtures.point(51.60, 35.60, name: "outside")
        let half = try SiteFixtures.square(51.56, 35.60, half: 0.002, name: "half in")
        try store.insertBatch([inside, edge, outside, half])
        let zone = Geometry.polygon(try Polygon(rings: [[
            Position(x: 51.54, y: 35.59), Position(x: 51.56, y: 35.59), Position(x: 51.56, y: 35.61),
            Position(x: 51.54, y: 35.61), Position(x: 51.54, y: 35.59),
        ]]))
        #expect(try store.within(zone).map(\.site.name) == ["inside", "on the edge", "half in"])
        let hits = try store.overlaps(with: zone)
        #expect(hits.map(\.a.name) == ["half in"])
        #expect(abs((hits.first?.shareA ?? 0) - 0.5) < 0.01)
        try store.close()
    }
}
