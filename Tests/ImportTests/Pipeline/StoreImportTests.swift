import Foundation
import Geometry
import Store
import TestSupport
import Testing
@testable import Import

/// Importing into a real store: identity across re-imports, one transaction, dry runs,
/// attributes read back by GDAL, candidate duplicates.
@Suite struct StoreImportTests {
    private func store(in folder: FixtureFolder) throws -> SiteStore {
        try SiteStore.create(at: folder.path("atlas.gpkg").path)
    }

    private func spainShapefile(_ folder: FixtureFolder, text: String = SampleData.spain) throws -> URL {
        try folder.write("spain.geojson", text)
        try? FileManager.default.removeItem(at: folder.path("spain.shp"))
        return try folder.shapefile("spain", from: "spain.geojson", encoding: "UTF-8")
    }

    private func mappedOptions(_ folder: FixtureFolder) throws -> ImportOptions {
        var options = ImportOptions()
        options.mapping = try ImportMapping.load(folder.write("spain.yaml", MappingTests.yaml))
        return options
    }

    @Test func reimportUpdatesInsteadOfDuplicating() throws {
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        let shp = try spainShapefile(folder)
        let options = try mappedOptions(folder)
        let first = try StoreImport(store: store, options: options).run(files: [shp])
        #expect((first.inserted, first.updated, first.unchanged) == (3, 0, 0))
        let again = try StoreImport(store: store, options: options).run(files: [shp])
        #expect((again.inserted, again.updated, again.unchanged) == (0, 0, 3))
        #expect(try store.siteCount() == 3)
        let renamed = SampleData.spain.replacingOccurrences(of: "Fosa de Paterna", with: "Fosa 127 de Paterna")
        let changed = try StoreImport(store: store, options: options).run(files: [try spainShapefile(folder, text: renamed)])
        #expect((changed.inserted, changed.updated, changed.unchanged) == (0, 1, 2))
        #expect(try store.siteCount() == 3)
        #expect(try store.search("Paterna").map(\.site.name) == ["Fosa 127 de Paterna"])
        // The search index holds the new text, not only the new name shown for an old match.
        #expect(try store.search("127").map(\.site.name) == ["Fosa 127 de Paterna"])
    }

    @Test func aFatalErrorLeavesTheStoreAsItWas() throws {
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        let shp = try spainShapefile(folder)
        _ = try StoreImport(store: store, options: ImportOptions()).run(files: [shp])
        let audit = try store.auditLog()
        try folder.write("iran.geojson", SampleData.iranPolygons)
        let truncated = try folder.shapefile("iran", from: "iran.geojson")
        let bytes = try Data(contentsOf: truncated)
        try bytes.prefix(bytes.count - 10).write(to: truncated)
        try folder.write("more.csv", "name,lon,lat\nA,1,2\n")
        #expect(throws: ImportError.self) {
            _ = try StoreImport(store: store, options: ImportOptions()).run(files: [folder.path("more.csv"), truncated])
        }
        var strict = ImportOptions()
        strict.strict = true
        try folder.write("nulls.geojson", SampleData.withNulls)
        #expect(throws: ImportError.self) {
            _ = try StoreImport(store: store, options: strict).run(files: [folder.path("more.csv"), folder.path("nulls.geojson")])
        }
        #expect(try store.siteCount() == 3)
        #expect(try store.auditLog() == audit)
    }

    @Test func dryRunWritesNothing() throws {
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        let report = try StoreImport(store: store, options: ImportOptions()).run(files: [try spainShapefile(folder)], dryRun: true)
        #expect(report.inserted == 3)
        #expect(report.summary.contains("3 would be inserted"))
        #expect(try store.siteCount() == 0)
        #expect(try store.auditLog().isEmpty)
    }

    /// `ogr2ogr` reading the store gives back every attribute of every record exactly as
    /// GDAL reads the source files.
    @Test func gdalReadsBackEverySourceAttribute() throws {
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        try folder.write("iran.geojson", SampleData.iranPolygons)
        let files = [
            try spainShapefile(folder),
            try folder.shapefile("iran", from: "iran.geojson", srs: "EPSG:32639", encoding: "CP1256"),
            try folder.ogr2ogr("GPKG", "tehran.gpkg", "iran.geojson", ["-nln", "iran_gpkg"]),
        ]
        _ = try StoreImport(store: store, options: ImportOptions()).run(files: files)
        try store.close()
        let stored = try folder.ogrFeatures("atlas.gpkg", options: ["sites"])
        var expected: [[String: Any]] = []
        for name in ["spain.shp", "iran.shp", "tehran.gpkg"] {
            expected += try folder.ogrFeatures(name).map { $0["properties"] as? [String: Any] ?? [:] }
        }
        #expect(stored.count == expected.count)
        for (site, source) in zip(stored, expected) {
            let properties = site["properties"] as? [String: Any] ?? [:]
            // GDAL writes a JSON text column as a nested object when the store declares it JSON.
            let attributes: [String: Any]
            if let object = properties["source_attributes"] as? [String: Any] {
                attributes = object
            } else {
                let text = properties["source_attributes"] as? String ?? "{}"
                attributes = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
            }
            #expect(NSDictionary(dictionary: attributes).isEqual(to: source), "\(attributes) != \(source)")
        }
    }

    @Test func candidateDuplicatesAcrossDatasetsAreReportedNotMerged() throws {
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        _ = try StoreImport(store: store, options: ImportOptions()).run(files: [try spainShapefile(folder)])
        let csv = "nombre,lon,lat\nFOSA DE PATERNA,-0.44371,39.50281\nPaterna cemetery,-0.4437,39.5028\nOtra,-0.5,39.6\n"
        let report = try StoreImport(store: store, options: ImportOptions()).run(files: [folder.write("otra.csv", csv)])
        #expect(report.inserted == 3)
        #expect(report.duplicateCandidates.count == 1)
        #expect(report.duplicateCandidates.first?.contains("'FOSA DE PATERNA' is 1 m from 'Fosa de Paterna' of dataset spain") == true)
        #expect(try store.siteCount() == 6)
    }

    @Test func candidateDuplicatesAreFoundAcrossTheFilesOfOneImport() throws {
        // The second file's sites must meet the first file's, written earlier in the same
        // transaction (the batch indexes them before looking).
        let folder = try FixtureFolder()
        let store = try store(in: folder)
        let csv = "nombre,lon,lat\nFOSA DE PATERNA,-0.44371,39.50281\nOtra,-0.5,39.6\n"
        let report = try StoreImport(store: store, options: ImportOptions())
            .run(files: [try spainShapefile(folder), folder.write("otra.csv", csv)])
        #expect(report.inserted == 5)
        #expect(report.duplicateCandidates.count == 1)
        #expect(report.duplicateCandidates.first?.contains("'FOSA DE PATERNA' is 1 m from 'Fosa de Paterna' of dataset spain") == true)
        try store.close()
        // GDAL's validator checks the R*Tree and its triggers after the batch.
        let validator = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"
        #expect(try Subprocess.run(["/usr/bin/python3", validator, folder.path("atlas.gpkg").path]) == "")
    }
}

@Suite struct InsertedOriginsTests {
    @Test func everyFidMapsBackToItsFileAndRecord() {
        // Records skipped (gaps in record numbers), a second file, fids with gaps: each fid
        // answers with what was appended for it, and unknown fids with nil.
        var rng = SplitMix64(seed: 5)
        var origins = InsertedOrigins()
        var expected: [Int64: (String, Int)] = [:]
        var fid: Int64 = 40
        for file in ["a.shp", "b.geojson", "a.shp"] {
            var record = 1
            for _ in 0..<500 {
                record += Int.random(in: 0..<10, using: &rng) == 0 ? 2 : 1
                fid += Int.random(in: 0..<20, using: &rng) == 0 ? 3 : 1
                origins.append(fid: fid, file: file, record: record)
                expected[fid] = (file, record)
            }
        }
        for probe in Int64(0)...(fid + 5) {
            let found = origins[probe]
            #expect(found?.file == expected[probe]?.0 && found?.record == expected[probe]?.1, "fid \(probe)")
        }
    }
}
