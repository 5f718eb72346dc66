import Export
import Foundation
import Geometry
import Import
import SiteModel
import Store
import TestSupport
import Testing

/// The field table itself, checked against what the store, the exports and mapping files
/// really do: sqlite3 reads a fresh store's columns, the CSV and GeoJSON writers' output is
/// read back as text and JSON.
@Suite struct SiteFieldTableTests {
    /// Every column of every field is a column of `sites` in a freshly made store.
    @Test func everyColumnIsInAFreshStore() throws {
        let dir = try Self.temporaryDirectory()
        let path = dir + "/fresh.gpkg"
        try SiteStore.create(at: path).close()
        let listed = try Subprocess.run(["sqlite3", path, "SELECT name FROM pragma_table_info('sites')"])
        let columns = Set(listed.split(whereSeparator: \.isNewline).map(String.init))
        #expect(columns.contains("uuid") && columns.contains("geom"), "sqlite3 read no table: \(listed)")
        let tableColumns = SiteFields.all.flatMap(\.columns)
        #expect(!tableColumns.isEmpty)
        for column in tableColumns {
            #expect(columns.contains(column), "\(column) is in SiteFields.all but not in a fresh store's sites table")
        }
    }

    /// Keys, columns and mapping names each name one field.
    @Test func namesAreUnique() {
        let keys = SiteFields.all.map(\.key)
        #expect(Set(keys).count == keys.count, "\(keys)")
        let columns = SiteFields.all.flatMap(\.columns)
        #expect(Set(columns).count == columns.count, "\(columns)")
        let mappingNames = SiteFields.all.flatMap(\.mappingNames)
        #expect(Set(mappingNames).count == mappingNames.count, "\(mappingNames)")
        let outputKeys = SiteFields.outputKeys
        #expect(Set(outputKeys).count == outputKeys.count, "\(outputKeys)")
        for field in SiteFields.all {
            #expect(field.mappingNames.isEmpty || field.mappingNames.first == field.key, "\(field.key) is its own first mapping name")
            for name in field.mappingNames {
                #expect(SiteFields.named(name)?.key == field.key, "\(name) names \(field.key)")
                #expect(Import.SiteField(name: name.uppercased())?.rawValue == field.key, "mapping files accept \(name) in any case")
            }
        }
    }

    /// Each field gives back what was set on it, and its enumerations hold the model's words.
    @Test func valuesRoundTripThroughTheTable() throws {
        let site = Self.filledSite()
        var copy = try Site(geometry: .point(Point(x: 0, y: 0)), name: "x", type: .memorial, status: .confirmed, sensitivity: .public)
        copy.id = site.id
        copy.geometry = site.geometry
        copy.names = site.names
        for field in SiteFields.all {
            #expect(field.value(of: site) != nil, "\(field.key) is filled in the fixture")
            try field.set(field.value(of: site), on: &copy)
            if let allowed = field.allowedValues, case let .text(word)? = field.value(of: site) {
                #expect(allowed.contains(word))
                #expect(throws: StoreError.self) { try field.set(.text("no such word"), on: &copy) }
            }
        }
        #expect(copy == site)
    }

    /// An internal CSV and GeoJSON export hold every output key of the table.
    @Test func everyOutputFieldIsExportedAtInternal() throws {
        let dir = try Self.temporaryDirectory()
        let store = try Self.store(at: dir + "/atlas.gpkg", sites: [Self.filledSite()])
        defer { try? store.close() }
        let policy = SafeguardingPolicy(audience: .internal)
        try Self.export(store, format: .csv, to: dir + "/all.csv", policy: policy)
        try Self.export(store, format: .geojson, to: dir + "/all.geojson", policy: policy)
        let csv = try String(contentsOfFile: dir + "/all.csv", encoding: .utf8)
        let header = Set(csv.split(whereSeparator: \.isNewline).first.map { $0.split(separator: ",").map(String.init) } ?? [])
        let properties = try Self.geoJSONProperties(dir + "/all.geojson")
        #expect(properties.count == 1)
        for key in SiteFields.outputKeys {
            #expect(header.contains(key), "\(key) is not a CSV column at internal: \(header.sorted())")
            #expect(properties.first?[key] != nil, "\(key) is not a GeoJSON property at internal")
        }
    }

    /// No key the table shows only to partner or internal is in a public export, and every key
    /// it shows to everyone is.
    @Test func fieldsWithheldAtPublicAreNotInAPublicExport() throws {
        let dir = try Self.temporaryDirectory()
        let store = try Self.store(at: dir + "/atlas.gpkg", sites: [Self.filledSite()])
        defer { try? store.close() }
        let policy = SafeguardingPolicy(audience: .public)
        try Self.export(store, format: .csv, to: dir + "/public.csv", policy: policy)
        try Self.export(store, format: .geojson, to: dir + "/public.geojson", policy: policy)
        let csv = try String(contentsOfFile: dir + "/public.csv", encoding: .utf8)
        let header = Set(csv.split(whereSeparator: \.isNewline).first.map { $0.split(separator: ",").map(String.init) } ?? [])
        let properties = try Self.geoJSONProperties(dir + "/public.geojson")
        #expect(properties.count == 1)
        let outputs = SiteFields.all.flatMap(\.outputs)
        for output in outputs {
            let shown = output.visibility == .every
            #expect(header.contains(output.key) == shown, "\(output.key) in the public CSV: \(header.sorted())")
            #expect((properties.first?[output.key] != nil) == shown, "\(output.key) in the public GeoJSON")
        }
        // The withheld values themselves appear nowhere in the files.
        let site = Self.filledSite()
        let text = csv + (try String(contentsOfFile: dir + "/public.geojson", encoding: .utf8))
        for field in SiteFields.all where field.shownExactlyTo != .every {
            if let value = field.value(of: site)?.auditText { #expect(!text.contains(value), "\(field.key) value leaked") }
        }
    }

    /// A site with every field of the table filled (public, so every audience sees it exactly).
    static func filledSite() -> Site {
        // Literal coordinates in range and a literal date: these cannot fail.
        var site = Site(
            geometry: .point(try! Point(x: 51.389, y: 35.689)), name: "Khavaran", type: .massGrave,
            status: .corroborated, condition: .builtOver, locationPrecision: .approximate, uncertaintyM: 250.5,
            victimsMin: 40, victimsMax: 900, victimsIdentified: 7, period: "1988 prison massacres",
            date: try! PartialDate(parsing: "1367-05 SH"), sensitivity: .public, description: "Bulldozed in 2021",
            sourceAttributes: "{\"witness\":\"WITNESS-SOURCE-ATTRIBUTE\"}", dataset: "DATASET-INTERNAL",
            sourceKey: "KEY-INTERNAL-42")
        site.names = [SiteName(language: "fa", name: "خاوران")]
        return site
    }

    static func store(at path: String, sites: [Site]) throws -> SiteStore {
        let store = try SiteStore.create(at: path)
        try store.insertBatch(sites)
        try store.close()
        return try SiteStore(path: path)
    }

    @discardableResult
    static func export(_ store: SiteStore, format: LayerExport.Format, to output: String,
                       policy: SafeguardingPolicy) throws -> LayerExport.Report {
        let view = policy.view
        let job = LayerExport(format: format, output: output, policy: policy)
        let columns = try OutputColumns.discover(in: store, view: view, lastEventDate: true)
        return try job.run(columns: columns, store: try store.identity()) { emit in
            try store.forEachSite { try emit(SiteRow($0, view: view)) }
        }
    }

    static func geoJSONProperties(_ path: String) throws -> [[String: Any]] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        let features = json?["features"] as? [[String: Any]] ?? []
        return features.map { $0["properties"] as? [String: Any] ?? [:] }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "graveatlas-sitemodel-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
