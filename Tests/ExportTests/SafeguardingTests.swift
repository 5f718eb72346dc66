import TestSupport
import Export
import Geometry
import Store
import Testing

@Suite struct SafeguardingTests {
    let polygon = ExportFeature(
        siteID: "s1",
        geometry: .polygon(try! Polygon(rings: [[
            Position(x: 51.431, y: 35.612), Position(x: 51.439, y: 35.612),
            Position(x: 51.439, y: 35.618), Position(x: 51.431, y: 35.612),
        ]])),
        properties: [("name", "Khavaran"), ("name:fa", "خاوران"), ("site_type", "mass_grave"),
                     ("condition", "built_over"), ("description", "witness account"), ("source", "testimony")])

    @Test func rulesFollowTheDesignTable() {
        #expect(Audience.public.treatment(of: .public) == .exact)
        #expect(Audience.public.treatment(of: .restricted) == .generalised)
        #expect(Audience.public.treatment(of: .confidential) == .withheld)
        #expect(Audience.partner.treatment(of: .restricted) == .exact)
        #expect(Audience.partner.treatment(of: .confidential) == .generalised)
        for s in Sensitivity.allCases { #expect(Audience.internal.treatment(of: s) == .exact) }
    }

    @Test func generalisedSitesSitAtTheirCellCentreWithOnlyAllowedFields() throws {
        let policy = SafeguardingPolicy(audience: .public)
        let out = try #require(policy.apply(polygon, sensitivity: .restricted))
        guard case let .point(p) = out.geometry else { Issue.record("not a point"); return }
        #expect(abs(p.position.x - 51.45) < 1e-9 && abs(p.position.y - 35.65) < 1e-9)
        #expect(out.properties.map(\.key) == ["site_type", "condition", "generalised", "cell_size_deg"])
        #expect(out.value(for: "generalised") == .bool(true))
        #expect(out.value(for: "cell_size_deg") == .double(0.1))
        #expect(out.siteID == "s1" && out.tileID == polygon.tileID)
        #expect(policy.apply(polygon, sensitivity: .confidential) == nil)
        #expect(policy.apply(polygon, sensitivity: .public) == polygon)
        #expect(SafeguardingPolicy(audience: .partner).apply(polygon, sensitivity: .restricted) == polygon)
    }

    @Test func generalisationIsDeterministicAndStaysInTheCell() {
        var rng = SplitMix64(seed: 99)
        for cell in [0.1, 0.05, 0.25] {
            let policy = SafeguardingPolicy(audience: .partner, cellSize: cell)
            for _ in 0..<500 {
                let p = Position(x: Double.random(in: -180..<180, using: &rng), y: Double.random(in: -89..<89, using: &rng))
                guard let c = policy.cellCentre(of: p), let again = policy.cellCentre(of: p) else {
                    Issue.record("no cell for \(p)"); continue
                }
                #expect(c == again)
                #expect(abs(c.x - p.x) <= cell / 2 + 1e-9 && abs(c.y - p.y) <= cell / 2 + 1e-9)
                // Every site of a cell lands on the same point: moving within it changes nothing.
                let i = (c.x / cell).rounded(.down), j = (c.y / cell).rounded(.down)
                let corner = Position(x: i * cell + cell * 0.01, y: j * cell + cell * 0.01)
                #expect(policy.cellCentre(of: corner) == c)
            }
        }
    }

    @Test func filtersSeeOnlyWhatTheAudienceSees() {
        let policy = SafeguardingPolicy(audience: .public)
        var filter = ExportFilter()
        filter.equals = [.init("description", "witness account")]
        let shown = policy.apply(polygon, sensitivity: .restricted)
        #expect(shown.map(filter.matches) == false)
        #expect(filter.matches(polygon))
        filter = ExportFilter()
        filter.bbox = BoundingBox(minX: 51.43, minY: 35.61, maxX: 51.44, maxY: 35.62)  // the true spot
        #expect(shown.map(filter.matches) == false)
    }

    @Test func stableIDsAreStableAndJavaScriptSafe() {
        #expect(ExportFeature.stableID("a") == ExportFeature.stableID("a"))
        #expect(ExportFeature.stableID("a") != ExportFeature.stableID("b"))
        #expect(ExportFeature.stableID("6f1c0c3e-1111-4e5e-9c1f-000000000001") < 1 << 53)
    }
}

@Suite struct SiteAdapterTests {
    @Test func storeSitesBecomeFeaturesWithNamesInEveryLanguage() throws {
        var site = Site(geometry: .point(try Point(x: 51.47, y: 35.63)), name: "Khavaran", type: .massGrave,
                        status: .corroborated, condition: .builtOver, sensitivity: .restricted,
                        description: "witness account")
        site.names = [SiteName(language: "fa", name: "خاوران"), SiteName(language: "en", name: "Khavaran")]
        let f = site.sensitiveFeature
        #expect(f.sensitivity == .restricted)
        #expect(f.feature.value(for: "name:fa") == .string("خاوران"))
        #expect(f.feature.value(for: "condition") == .string("built_over"))
        let shown = try #require(SafeguardingPolicy(audience: .public).apply(f.feature, sensitivity: f.sensitivity))
        #expect(shown.value(for: "description") == nil && shown.value(for: "name") == nil)
        #expect(shown.value(for: "site_type") == .string("mass_grave"))
    }
}
