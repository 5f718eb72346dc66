import TestSupport
import Export
import Foundation
import Geometry
import Store
import Testing

/// Exports read from a real store: the GeoPackage copy (validated by GDAL, safeguarded) and the
/// streamed layer path, which must write what the in-memory path writes.
@Suite struct StoreExportTests {
    /// A store holding public, restricted and confidential sites around Tehran, with names in
    /// two languages, descriptions, verbatim source attributes and events.
    static func makeStore(_ path: String) throws -> [Site] {
        var rng = SplitMix64(seed: 1367)
        let sensitivities: [Sensitivity] = [.public, .public, .restricted, .confidential]
        var sites: [Site] = []
        for i in 0..<60 {
            let s = sensitivities[i % 4]
            let c = Position(x: Double.random(in: 51.0...51.8, using: &rng), y: Double.random(in: 35.4...36.0, using: &rng))
            let geometry = i % 3 == 0 ? SyntheticSites.polygon(around: c, rng: &rng) : .point(try Point(c))
            let tag = "\(s.rawValue.uppercased())-\(i)"
            var site = Site(
                geometry: geometry, name: "NAME-\(tag)", type: i % 2 == 0 ? .massGrave : .executionSite,
                status: .reported, condition: i % 5 == 0 ? .destroyed : .builtOver, victimsMin: i,
                period: "PERIOD-\(tag)", sensitivity: s, description: "DESCRIPTION-\(tag)",
                sourceAttributes: "{\"witness\":\"WITNESS-\(tag)\"}", dataset: "survey", sourceKey: String(i))
            site.names = [SiteName(language: "fa", name: "نام-\(tag)"), SiteName(language: "en", name: "EN-\(tag)")]
            sites.append(site)
        }
        let store = try SiteStore.create(at: path)
        try store.insertBatch(sites)
        try store.insert(SiteEvent(site: sites[0].id, type: .bulldozed, date: try PartialDate(parsing: "2021-01")))
        try store.close()
        return sites
    }

    @Test func geoPackageCopyIsValidAndSafeguarded() throws {
        let dir = try temporaryDirectory("gpkg")
        let sites = try Self.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        for audience in Audience.allCases {
            let out = dir + "/\(audience).gpkg"
            let policy = SafeguardingPolicy(audience: audience)
            let report = try GeoPackageExport(output: out, policy: policy).run(store: try store.identity()) { emit in
                try store.forEachSite(emit)
            }
            let expected = sites.filter { audience.treatment(of: $0.sensitivity) != .withheld }
            #expect(report.features == expected.count)
            #expect(!FileManager.default.fileExists(atPath: out + "-wal"), "the copy is one file")
            let validation = try runTool(["/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", out])
            #expect(validation.status == 0 && validation.err.isEmpty, "\(audience): \(validation.out) \(validation.err)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report.manifestPath))) as? [String: Any]
            let files = manifest?["files"] as? [[String: Any]]
            #expect(files?.first?["sha256"] as? String == (try ExportManifest.digest(out)).1)

            // GDAL reads every shown site at the position the audience may see.
            let csv = try runTool(["ogr2ogr", "-f", "CSV", "/vsistdout/", out, "sites", "-lco", "GEOMETRY=AS_WKT",
                                   "-select", "uuid,name,description,period,source_attributes,dataset,victims_min"])
            let rows = csv.out.split(separator: "\n").dropFirst()
            #expect(rows.count == expected.count)
            let copy = try SiteStore(path: out)
            var copied: [UUID: Site] = [:]
            try copy.forEachSite { copied[$0.site.id] = $0.site }
            try copy.close()
            for site in expected {
                let treatment = audience.treatment(of: site.sensitivity)
                let got = try #require(copied[site.id], "\(site.name) copied")
                #expect(got.sourceAttributes != site.sourceAttributes && got.dataset == nil && got.sourceKey == nil)
                #expect(got.sensitivity == site.sensitivity)
                if treatment == .exact {
                    #expect(got.geometry == site.geometry && got.name == site.name && got.names == site.names)
                    #expect(got.description == site.description && got.victimsMin == site.victimsMin)
                } else {
                    let box = try #require(site.geometry.boundingBox)
                    let centre = try #require(policy.cellCentre(of: box.center))
                    #expect(got.geometry == .point(try Point(centre)))
                    #expect(got.name == "generalised site" && got.names.isEmpty && got.description == nil)
                    #expect(got.period == nil && got.victimsMin == nil)
                    #expect(got.type == site.type && got.condition == site.condition && got.status == site.status)
                    #expect(got.sourceAttributes == #"{"cell_size_deg":0.1,"generalised":true}"#)
                }
            }
            // Nothing withheld is anywhere in the file's bytes.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
            for site in sites {
                let treatment = audience.treatment(of: site.sensitivity)
                let tag = site.name.dropFirst("NAME-".count)
                var secrets = ["WITNESS-\(tag)"]
                if treatment != .exact { secrets += ["NAME-\(tag)", "نام-\(tag)", "DESCRIPTION-\(tag)", "PERIOD-\(tag)"] }
                for secret in secrets { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(audience).gpkg holds \(secret)") }
            }
        }
    }

    @Test func filteredGeoPackageKeepsOnlyMatchingSites() throws {
        let dir = try temporaryDirectory("gpkg-filter")
        let sites = try Self.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        var job = GeoPackageExport(output: dir + "/f.gpkg", policy: SafeguardingPolicy(audience: .internal))
        job.filter.equals = [.init("condition", "destroyed")]
        job.batchSize = 4
        let report = try job.run { emit in try store.forEachSite(emit) }
        let expected = sites.filter { $0.condition == .destroyed }
        #expect(report.features == expected.count && report.manifest.counts["filtered_out"] == sites.count - expected.count)
        let info = try runTool(["ogrinfo", "-ro", "-so", dir + "/f.gpkg", "sites"])
        #expect(info.out.contains("Feature Count: \(expected.count)"))
        // An empty selection is still a valid GeoPackage.
        job.filter.equals = [.init("condition", "no-such-condition")]
        job.output = dir + "/empty.gpkg"
        #expect(try job.run { emit in try store.forEachSite(emit) }.features == 0)
        let validation = try runTool(["/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", dir + "/empty.gpkg"])
        #expect(validation.status == 0, "\(validation.out) \(validation.err)")
    }

    @Test func streamedLayersEqualTheInMemoryPath() throws {
        let dir = try temporaryDirectory("stream")
        _ = try Self.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        var listed: [SensitiveFeature] = []
        try store.forEachSite { listed.append($0.sensitiveFeature) }
        #expect(listed.first?.feature.value(for: "last_event_date") == .string("2021-01-31"))
        let policy = SafeguardingPolicy(audience: .public)
        for format in [LayerExport.Format.geojson, .geojsonseq, .kml, .csv] {
            var streamed = LayerExport(format: format, output: dir + "/streamed.\(format)", policy: policy)
            var held = LayerExport(format: format, output: dir + "/held.\(format)", policy: policy)
            if format == .csv {
                // Fixed columns make CSV stream; the same columns in memory give the same bytes.
                streamed.csvColumns = ListedSite.exportColumns(languages: try store.nameLanguages())
                held.csvColumns = streamed.csvColumns
            }
            let a = try streamed.run { emit in try store.forEachSite { try emit($0.sensitiveFeature) } }
            let b = try held.run(listed)
            #expect(a.manifest.counts == b.manifest.counts)
            #expect(a.manifest.files.map(\.sha256) == b.manifest.files.map(\.sha256), "\(format)")
        }
        // Every key a listed site exports is among the fixed CSV columns.
        let columns = Set(ListedSite.exportColumns(languages: try store.nameLanguages()))
        for f in policy.apply(listed) { for p in f.properties { #expect(columns.contains(p.key), "\(p.key)") } }
    }
}
