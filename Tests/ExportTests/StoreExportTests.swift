import TestSupport
import Export
import Foundation
import Geometry
import Store
import Testing

/// Exports read from a real store: the GeoPackage copy (validated by GDAL, safeguarded) and the
/// streamed layer path, whose columns the store discovers, which must write what rows held in
/// memory write.
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
            let report = try Self.export(store, format: .gpkg, to: out, policy: policy)
            let expected = sites.filter { audience.treatment(of: $0.sensitivity) != .withheld }
            #expect(report.features == expected.count)
            #expect(!FileManager.default.fileExists(atPath: out + "-wal"), "the copy is one file")
            let validation = try runTool(["/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", out])
            #expect(validation.status == 0 && validation.err.isEmpty, "\(audience): \(validation.out) \(validation.err)")
            let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report.manifestPath))) as? [String: Any]
            let files = manifest?["files"] as? [[String: Any]]
            #expect(files?.first?["sha256"] as? String == (try ExportManifest.digest(out)).1)

            // GDAL reads every shown site at the position the audience may see, with the
            // columns that audience sees in every other format.
            let read = try runTool(["ogr2ogr", "-f", "GeoJSONSeq", "/vsistdout/", out, "sites", "-lco", "RS=NO",
                                    "-lco", "COORDINATE_PRECISION=15"])
            var copied: [String: [String: Any]] = [:], positions: [String: [Double]] = [:]
            for line in read.out.split(separator: "\n") {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
                let properties = object["properties"] as? [String: Any] ?? [:]
                let uuid = properties["uuid"] as? String ?? ""
                copied[uuid] = properties.filter { !($0.value is NSNull) }
                positions[uuid] = (object["geometry"] as? [String: Any])?["coordinates"] as? [Double]
            }
            #expect(copied.count == expected.count)
            let columns = try Set(runTool(["ogrinfo", "-ro", "-so", out, "sites"]).out.split(separator: "\n")
                .compactMap { line in line.firstRange(of: ": ").map { String(line[..<$0.lowerBound]) } })
            func same(_ a: [Double]?, _ b: Position) -> Bool {
                guard let a, a.count == 2 else { return false }
                return abs(a[0] - b.x) < 1e-12 && abs(a[1] - b.y) < 1e-12
            }
            let internalOnly: Set = ["sensitivity", "dataset", "source_key", "date_text", "source_attributes", "created", "updated"]
            if audience == .internal {
                #expect(columns.isSuperset(of: ["sensitivity", "dataset", "source_key", "source_attributes"]))
            } else {
                #expect(columns.isDisjoint(with: internalOnly), "\(audience): \(columns.intersection(internalOnly))")
                #expect(columns.isSuperset(of: ["uuid", "name", "site_type", "description", "generalised", "cell_size_deg"]))
            }
            for site in expected {
                let treatment = audience.treatment(of: site.sensitivity)
                let got = try #require(copied[site.id.uuidString], "\(site.name) copied")
                if treatment == .exact {
                    #expect(got["name"] as? String == site.name && got["description"] as? String == site.description)
                    #expect(got["victims_min"] as? Int == site.victimsMin && got["generalised"] == nil)
                    if case let .point(p) = site.geometry {
                        #expect(same(positions[site.id.uuidString], p.position))
                    }
                } else {
                    let box = try #require(site.geometry.boundingBox)
                    let centre = try #require(policy.cellCentre(of: box.center))
                    #expect(same(positions[site.id.uuidString], centre))
                    #expect(got["name"] as? String == "generalised site" && got["description"] == nil && got["period"] == nil)
                    #expect(got["site_type"] as? String == site.type.rawValue && got["condition"] as? String == site.condition.rawValue)
                    if audience != .internal {
                        #expect(got["generalised"] as? Bool == true || got["generalised"] as? Int == 1)
                        #expect(got["cell_size_deg"] as? Double == 0.1)
                    }
                }
            }
            // Only the internal copy is still a store, holding the import identity.
            if audience == .internal {
                let copy = try SiteStore(path: out)
                var stored: [UUID: Site] = [:]
                try copy.forEachSite { stored[$0.site.id] = $0.site }
                try copy.close()
                for site in expected {
                    let got = try #require(stored[site.id])
                    #expect(got == site, "\(site.name) copied as stored")
                }
            } else {
                #expect(throws: StoreError.self, "\(audience): a publication file, not a store") { _ = try SiteStore(path: out) }
            }
            // GDAL reads the source attribute as a column exactly where the audience sees it.
            let sourceColumn = try runTool(["ogrinfo", "-ro", "-so", out, "sites"]).out.contains("source:witness: String")
            #expect(sourceColumn == (audience != .public), "\(audience): source:witness column")
            if audience != .public {
                let witnesses = try runTool(["ogr2ogr", "-f", "CSV", "/vsistdout/", out, "sites", "-select", "uuid,source:witness"]).out
                for site in expected where audience.treatment(of: site.sensitivity) == .exact {
                    #expect(witnesses.contains("\(site.id.uuidString),WITNESS-\(site.name.dropFirst("NAME-".count))"))
                }
            }
            // Nothing withheld is anywhere in the file's bytes.
            let bytes = try Data(contentsOf: URL(fileURLWithPath: out))
            for site in sites {
                let treatment = audience.treatment(of: site.sensitivity)
                let tag = site.name.dropFirst("NAME-".count)
                var secrets: [String] = []
                if treatment != .exact || audience == .public { secrets.append("WITNESS-\(tag)") }
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
        var filter = ExportFilter()
        filter.equals = [.init("condition", "destroyed")]
        let internalPolicy = SafeguardingPolicy(audience: .internal)
        let report = try Self.export(store, format: .gpkg, to: dir + "/f.gpkg", policy: internalPolicy, filter: filter)
        let expected = sites.filter { $0.condition == .destroyed }
        #expect(report.features == expected.count && report.manifest.counts["filtered_out"] == sites.count - expected.count)
        let info = try runTool(["ogrinfo", "-ro", "-so", dir + "/f.gpkg", "sites"])
        #expect(info.out.contains("Feature Count: \(expected.count)"))
        // An empty selection is still a valid GeoPackage.
        filter.equals = [.init("condition", "no-such-condition")]
        #expect(try Self.export(store, format: .gpkg, to: dir + "/empty.gpkg", policy: internalPolicy, filter: filter).features == 0)
        let validation = try runTool(["/usr/bin/python3", "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py", dir + "/empty.gpkg"])
        #expect(validation.status == 0, "\(validation.out) \(validation.err)")
    }

    @Test func streamedLayersEqualRowsHeldInMemory() throws {
        let dir = try temporaryDirectory("stream")
        _ = try Self.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        var listed: [ListedSite] = []
        try store.forEachSite { listed.append($0) }
        #expect(listed.first?.lastEventDate == "2021-01-31")
        for audience in Audience.allCases {
            let policy = SafeguardingPolicy(audience: audience)
            let view = policy.view
            // The store's SQL discovery and the in-memory gathering agree on the columns …
            let discovered = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
            let gathered = OutputColumns.gathering(listed.map { SiteRow($0, view: view) }, view: view, lastEventDate: true)
            #expect(discovered.header == gathered.header, "\(audience)")
            #expect(discovered.sourceFields == (audience == .public ? [] : ["witness"]))
            // … so streamed rows and rows held in memory give the same bytes.
            for format in [LayerExport.Format.geojson, .geojsonseq, .kml, .csv] {
                let streamed = LayerExport(format: format, output: dir + "/streamed.\(format)", policy: policy)
                let held = LayerExport(format: format, output: dir + "/held.\(format)", policy: policy)
                let a = try streamed.run(columns: discovered) { emit in try store.forEachSite { try emit(SiteRow($0, view: view)) } }
                let b = try held.run(columns: gathered) { emit in for site in listed { try emit(SiteRow(site, view: view)) } }
                #expect(a.manifest.counts == b.manifest.counts)
                #expect(a.manifest.files.map(\.sha256) == b.manifest.files.map(\.sha256), "\(audience) \(format)")
            }
        }
    }

    /// Exports every site of `store` in `format`, columns discovered for the audience.
    static func export(_ store: SiteStore, format: LayerExport.Format, to output: String, policy: SafeguardingPolicy,
                       filter: ExportFilter = ExportFilter()) throws -> LayerExport.Report {
        let view = policy.view
        var job = LayerExport(format: format, output: output, policy: policy)
        job.filter = filter
        let columns = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
        return try job.run(columns: columns, store: try store.identity()) { emit in
            try store.forEachSite { try emit(SiteRow($0, view: view)) }
        }
    }
}
