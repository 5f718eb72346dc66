import Foundation
import Geometry
@testable import Store
import Testing

/// The store's own generalisation grid and ordering secret: what is recorded, what may change,
/// what the audit log says; and the listing in a caller's order.
@Suite struct StoreGridTests {
    @Test func gridIsTheDefaultUntilRecordedThenOnlyCoarserWholeCells() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("a.gpkg"))
        #expect(try store.grid() == GeneralisationGrid(cellSize: 0.1, origin: Position(x: 0, y: 0)))
        #expect(try !store.hasRecordedGrid())

        // A fresh store takes any valid grid, even one that does not fit the default.
        let first = GeneralisationGrid(cellSize: 0.25, origin: Position(x: 0.05, y: -0.1))
        try store.setGrid(first)
        #expect(try store.grid() == first && store.hasRecordedGrid())

        // From then on: finer, not a whole multiple, or off the edges is refused and changes nothing.
        let refused = [
            GeneralisationGrid(cellSize: 0.1, origin: first.origin),
            GeneralisationGrid(cellSize: 0.3, origin: first.origin),
            GeneralisationGrid(cellSize: 0.5, origin: Position(x: 0.1, y: -0.1)),
            GeneralisationGrid(cellSize: 1e-9, origin: first.origin),
            GeneralisationGrid(cellSize: .nan, origin: first.origin),
            GeneralisationGrid(cellSize: 180, origin: first.origin),
        ]
        for grid in refused {
            #expect(throws: StoreError.self, "\(grid.summary)") { try store.setGrid(grid) }
        }
        #expect(try store.grid() == first)

        // Coarser by whole cells on the same edges (an origin moved by whole cells included).
        let coarser = GeneralisationGrid(cellSize: 0.75, origin: Position(x: 0.55, y: 0.15))
        try store.setGrid(coarser)
        #expect(try store.grid() == coarser)

        // Every change is in the audit log, saying what it was and what it became.
        let entries = try store.auditLog(for: "grid")
        #expect(entries.map(\.action) == ["setting", "setting"])
        #expect(entries.first?.detail?.contains("0.25° cells from 0.05,-0.1") == true)
        #expect(entries.last?.detail?.contains("was 0.25° cells from 0.05,-0.1") == true)

        // It survives closing and opening.
        try store.close()
        let reopened = try SiteStore(path: dir.path("a.gpkg"))
        #expect(try reopened.grid() == coarser)
        try reopened.close()
    }

    @Test func aStoreWithSitesButNoRecordedGridKeepsTheDefaultsEdges() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("a.gpkg"))
        defer { try? store.close() }
        try store.insert(try SiteFixtures.point(51.4, 35.7))
        // Outputs may already have been published on the default 0.1° grid.
        #expect(throws: StoreError.self) { try store.setGrid(GeneralisationGrid(cellSize: 0.05)) }
        #expect(throws: StoreError.self) { try store.setGrid(GeneralisationGrid(cellSize: 0.25)) }
        try store.setGrid(GeneralisationGrid(cellSize: 0.2))
        #expect(try store.grid().cellSize == 0.2)
    }

    @Test func coarsenedGridsAreWholeBlocksOfStoreCells() throws {
        let grid = GeneralisationGrid(cellSize: 0.1, origin: Position(x: 0.03, y: 0.07))
        #expect(grid.coarsened(to: 0.1) == grid)
        #expect(grid.coarsened(to: 0.3)?.origin == grid.origin)
        #expect(grid.coarsened(to: 0.07) == nil && grid.coarsened(to: 0.25) == nil && grid.coarsened(to: 1e-9) == nil)
        // Every cell of the coarser grid is a union of store cells: a point's coarse cell
        // centre lies on the corners of store cells shared by all the store cells it holds.
        let coarse = try #require(grid.coarsened(to: 0.3))
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let p = Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -80...80, using: &rng))
            let fine = try #require(grid.cellCentre(of: p))
            let a = try #require(coarse.cellCentre(of: fine)), b = try #require(coarse.cellCentre(of: p))
            #expect(abs(a.x - b.x) < 1e-9 && abs(a.y - b.y) < 1e-9, "the store cell of \(p) lies inside one coarse cell")
        }
        // Cell centres sit on the origin's grid.
        let c = try #require(grid.cellCentre(of: Position(x: 51.389, y: 35.689)))
        #expect(abs(c.x - 51.38) < 1e-9 && abs(c.y - 35.72) < 1e-9)
    }

    @Test func orderSaltIsMadeOnceAndKept() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("a.gpkg"))
        let salt = try store.orderSalt()
        #expect(salt.count == 32 && salt.allSatisfy(\.isHexDigit))
        #expect(try store.orderSalt() == salt)
        try store.close()
        let other = try SiteStore.create(at: dir.path("b.gpkg"))
        #expect(try other.orderSalt() != salt, "random per store")
        try other.close()
        let reopened = try SiteStore(path: dir.path("a.gpkg"))
        #expect(try reopened.orderSalt() == salt)
        try reopened.close()
    }

    @Test func orderedListingGivesTheSameSitesInKeyOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("a.gpkg"))
        defer { try? store.close() }
        var sites: [Site] = []
        for k in 0..<300 {
            var s = try SiteFixtures.point(51 + Double(k) * 0.001, 35.7, name: "S\(k)")
            if k % 3 == 0 { s.names = [SiteName(language: "fa", name: "ف\(k)"), SiteName(language: "ku", name: "K\(k)")] }
            sites.append(s)
        }
        try store.insertBatch(sites)
        try store.insert(SiteEvent(site: sites[7].id, type: .bulldozed, date: try PartialDate(parsing: "2021-05")))
        var plain: [UUID: ListedSite] = [:]
        try store.forEachSite { plain[$0.site.id] = $0 }
        // Keyed by the name's number backwards, every fifth site left out.
        var seen: [ListedSite] = []
        try store.forEachSite(orderedBy: { site -> Int? in
            let k = Int(site.name.dropFirst()) ?? 0
            return k % 5 == 0 ? nil : -k
        }) { seen.append($0) }
        #expect(seen.map(\.site.name) == (0..<300).reversed().filter { $0 % 5 != 0 }.map { "S\($0)" })
        for listed in seen { #expect(plain[listed.site.id] == listed, "\(listed.site.name) as the plain listing has it") }
        #expect(seen.first { $0.site.id == sites[7].id }?.lastEventDate == "2021-05-31")
    }
}
