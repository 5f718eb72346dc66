import Export
import Foundation
import Store
import Testing

/// The export manifest of a tile folder: written file by file (its tiles are held as their
/// coordinates), checked by Python against the files on disk and against its own JSON layout.
@Suite struct ExportManifestTests {
    /// Every file in the folder and the two sidecars is listed once with its size and SHA-256
    /// (hashlib reads them), nothing else is listed, and the text is Python's pretty JSON of
    /// itself with sorted keys (`"key" : value`, two spaces a level): the layout one JSON value
    /// written at once had.
    @Test func aTileFolderManifestListsEveryFileWithItsDigestInTheUsualLayout() throws {
        let dir = try temporaryDirectory("manifest")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try StoreExportTests.makeStore(dir + "/atlas.gpkg")
        let store = try SiteStore(path: dir + "/atlas.gpkg")
        defer { try? store.close() }
        for audience in [Audience.public, .internal] {
            let policy = SafeguardingPolicy(audience: audience)
            let folder = dir + "/tiles-\(audience)"
            var job = LayerExport(format: LayerExport.Format(ExportFormat.tiles), output: folder, policy: policy)
            job.tileOptions = TileOptions(minZoom: 6, maxZoom: 12)
            let columns = try OutputColumns.discover(in: store, view: policy.view, lastEventDate: true)
            let report = try job.run(columns: columns) { emit in
                try store.forEachSite { try emit(SiteRow($0, view: policy.view)) }
            }
            let tiles = report.manifest.files.filter { $0.path.hasSuffix(".mvt") }
            #expect(tiles.count == report.tiles?.tileCount && tiles.count > 20, "\(audience): \(tiles.count) tiles")
            let checked = try runPython("""
                import hashlib, json, os, sys
                manifest, folder = sys.argv[1], sys.argv[2]
                text = open(manifest, encoding="utf-8").read()
                doc = json.loads(text)
                laid = json.dumps(doc, indent=2, sort_keys=True, separators=(",", " : "), ensure_ascii=False)
                assert text == laid, "layout differs"
                base = os.path.dirname(manifest)
                listed = [f["path"] for f in doc["files"]]
                assert len(listed) == len(set(listed)), "a file listed twice"
                for f in doc["files"]:
                    data = open(os.path.join(base, f["path"]), "rb").read()
                    assert len(data) == f["bytes"], f["path"]
                    assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
                on_disk = {os.path.relpath(os.path.join(r, n), base) for r, _, ns in os.walk(folder) for n in ns}
                assert set(listed) == on_disk, sorted(set(listed) ^ on_disk)[:5]
                print(len(listed))
                """, [ExportManifest.path(for: folder), folder])
            #expect(Int(checked.trimmingCharacters(in: .whitespacesAndNewlines)) == report.manifest.files.count)
        }
    }

    /// Tiles are listed first, as their folder's paths, then the named files in order.
    @Test func writtenFilesListTilesThenNamedFiles() {
        var files = WrittenFiles(tilesIn: "/out/tiles")
        files.append(tile: TileCoordinate(z: 24, x: (1 << 24) - 1, y: 5))
        files.append("/out/tiles/metadata.json")
        files.append(tile: TileCoordinate(z: 0, x: 0, y: 0))
        let all = files.appending(contentsOf: ["/out/tiles.json"])
        #expect(Array(all) == ["/out/tiles/24/16777215/5.mvt", "/out/tiles/0/0/0.mvt", "/out/tiles/metadata.json",
                               "/out/tiles.json"])
        #expect(Array(WrittenFiles(["a", "b"])) == ["a", "b"] && WrittenFiles().isEmpty)
    }
}
