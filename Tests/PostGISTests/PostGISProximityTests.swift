import Foundation
import Geometry
import PostGIS
import Store
import TestSupport
import Testing

/// `near` and `nearest` run in PostGIS give what the GeoPackage store gives on the same sites,
/// for each audience: the same sites in the same order, the same distances (a generalised site
/// measured from its cell's centre, a withheld one absent); and PostGIS's own geography
/// distances agree with the project's geodesics.
@Suite struct PostGISProximityTests {
    /// The same generated store in both engines, and what to remove once a test is done.
    struct BothStores {
        let gpkg: SiteStore
        let postgis: PostGISStore
        let database: TestPostgres.Database
        let folder: URL

        func remove() {
            try? gpkg.close()
            database.drop()
            try? FileManager.default.removeItem(at: folder)
        }
    }

    static func stores() async throws -> BothStores {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-pgnear-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("sites.gpkg").path
        try GeneratedStore.make(at: path, sites: 400, seed: 1988)
        let database = try await TestPostgres.newDatabase()
        _ = try await StoreCopy.run(from: .geoPackage(path: path), to: StoreLocation(database.url))
        return BothStores(gpkg: try SiteStore(path: path, access: .readOnly), postgis: PostGISStore(url: try PostgresURL(database.url)),
                          database: database, folder: folder)
    }

    /// Query points: at each cluster's centre, off to one side, and one far from every site.
    static func points() -> [Position] {
        var random = SplitMix64(seed: 42)
        var out = GeneratedStore.centres
        for centre in GeneratedStore.centres {
            for _ in 0..<3 {
                out.append(Position(x: centre.x + Double(random.next() % 3000) / 10_000 - 0.15,
                                    y: centre.y + Double(random.next() % 3000) / 10_000 - 0.15))
            }
        }
        out.append(Position(x: 10, y: 0))
        return out
    }

    static func compare(_ gpkg: [SiteMatch], _ postgis: [PostGISMatch], _ label: String) {
        #expect(gpkg.map(\.site.id) == postgis.map(\.site.id), "\(label): the same sites in the same order")
        for (g, p) in zip(gpkg, postgis) {
            #expect(g.treatment == p.treatment, "\(label): \(g.site.name) seen the same way")
            #expect(abs((g.distanceM ?? .nan) - p.distanceM) <= 0.01, "\(label): \(g.site.name) \(g.distanceM ?? .nan) vs \(p.distanceM)")
            #expect(g.site == p.site, "\(label): \(g.site.name) read back the same")
        }
    }

    @Test(arguments: [Audience.internal, .partner, .public])
    func nearAndNearestGiveTheSameSitesInTheSameOrder(audience: Audience) async throws {
        let stores = try await Self.stores()
        defer { stores.remove() }
        let gpkg = stores.gpkg, postgis = stores.postgis
        let view = AudienceView(audience: audience, grid: try gpkg.grid())
        var compared = 0
        var generalised = 0
        for (index, point) in Self.points().enumerated() {
            for radius in [0.0, 250, 2_000, 9_000] {
                let a = try gpkg.near(point, radius: radius, audience: view)
                let b = try await postgis.near(point, radius: radius, audience: view)
                Self.compare(a, b, "\(audience) near #\(index) r=\(radius)")
                compared += a.count
                generalised += b.filter { $0.treatment == .generalised }.count
                #expect(!b.contains { view.treatment(of: $0.site.sensitivity) == .withheld })
            }
            for k in [1, 5, 40] {
                let a = try gpkg.nearest(point, k: k, audience: view)
                let b = try await postgis.nearest(point, k: k, audience: view)
                Self.compare(a, b, "\(audience) nearest #\(index) k=\(k)")
                #expect(b.count >= k)
                compared += a.count
                #expect(!b.contains { view.treatment(of: $0.site.sensitivity) == .withheld })
            }
        }
        #expect(compared > 1_000, "the queries found sites to compare (\(compared))")
        // Each audience but the team's sees some sites generalised, measured from their cell.
        #expect(audience == .internal ? generalised == 0 : generalised > 20, "\(generalised) generalised matches")
    }

    /// PostGIS's geography distance (spheroid) against the project's geodesic, site by site:
    /// to points it is the same inverse problem; to polygons PostGIS takes edges as great-circle
    /// arcs, the project as geodesics, which for these small sites differ by far less than 1 cm.
    @Test func postGISGeographyDistancesAgreeWithTheProjectsGeodesicsToACentimetre() async throws {
        let stores = try await Self.stores()
        defer { stores.remove() }
        let postgis = stores.postgis
        var worst = 0.0
        var measured = 0
        for point in Self.points() {
            for match in try await postgis.nearest(point, k: 60, audience: .everything) {
                worst = max(worst, abs(match.distanceM - match.databaseDistanceM))
                measured += 1
            }
        }
        #expect(measured > 500)
        #expect(worst <= 0.01, "largest difference \(worst) m")
    }
}
