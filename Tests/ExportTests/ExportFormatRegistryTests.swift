import Export
import Foundation
import Store
import Testing

/// The export format registry: every output format and tiles are export formats, each runs
/// through `LayerExport` with no case of its own, and tile containers are chosen by extension.
@Suite struct ExportFormatRegistryTests {
    @Test func everyOutputFormatThenTheOthers() {
        #expect(ExportFormat.names == OutputFormat.names + ExportFormat.others.map(\.name))
        #expect(Set(ExportFormat.names).count == ExportFormat.names.count)
        #expect(ExportFormat.named("tiles") != nil && ExportFormat.named("shapefile") == nil)
    }

    /// Each registered format writes what its manifest lists (sizes read back from disk), for
    /// the same safeguarded sites of a store, with no case of its own anywhere.
    @Test func everyFormatExportsThroughTheRegistry() throws {
        let dir = try temporaryDirectory("registry")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try StoreExportTests.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        let policy = SafeguardingPolicy(audience: .public)
        var features: Set<Int> = []
        for format in ExportFormat.all {
            let folder = dir + "/" + format.name
            let output = format.writesFolder(folder)
                ? folder : dir + "/out." + (OutputFormat.named(format.name)?.fileExtension ?? format.name)
            var job = LayerExport(format: LayerExport.Format(format), output: output, policy: policy)
            job.tileOptions = TileOptions(minZoom: 8, maxZoom: 10)
            let columns = try OutputColumns.discover(in: store, view: policy.view, lastEventDate: true)
            let report = try job.run(columns: columns) { emit in
                try store.forEachSite { try emit(SiteRow($0, view: policy.view)) }
            }
            features.insert(report.features)
            #expect(report.manifest.format == format.name)
            #expect(!report.manifest.files.isEmpty, "\(format.name) wrote files")
            for file in report.manifest.files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file.path))
                #expect(data.count == file.bytes, "\(file.path)")
            }
            #expect((report.tiles != nil) == (format.name == ExportFormat.tiles.name))
        }
        #expect(features.count == 1 && features.first ?? 0 > 0, "every format shows the same sites: \(features)")
    }

    /// A name that is no format is refused with every format's name, before anything is written.
    @Test func unknownFormatIsRefusedWithTheNames() throws {
        let dir = try temporaryDirectory("registry")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let job = LayerExport(format: LayerExport.Format(rawValue: "shapefile"), output: dir + "/x.shp",
                              policy: SafeguardingPolicy(audience: .public))
        #expect(throws: ExportError.invalidOption(
            "no output format 'shapefile'; formats: table, csv, json, geojson, geojsonseq, kml, gpkg, tiles")) {
            _ = try job.run([SensitiveFeature]())
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// Each container is chosen by its extension whatever its case; a name no container claims
    /// is a folder, and only then does the tiles format write into a folder.
    @Test func tileContainersByExtension() {
        for container in TileContainer.all {
            guard let ext = container.fileExtension else {
                #expect(TileContainer.chosen(for: "out/tiles") == container)
                #expect(ExportFormat.tiles.writesFolder("out/tiles"))
                continue
            }
            #expect(TileContainer.chosen(for: "out/a." + ext.uppercased()) == container)
            #expect(!ExportFormat.tiles.writesFolder("out/a." + ext))
        }
        #expect(TileContainer.all.filter { $0.fileExtension == nil }.count == 1)
        #expect(Set(TileContainer.all.compactMap(\.fileExtension)).count == TileContainer.all.count - 1)
    }
}
