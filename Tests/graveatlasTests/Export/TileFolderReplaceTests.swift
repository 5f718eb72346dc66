import Foundation
import Testing

/// `export tiles -o FOLDER` replaces a previous tile export whole, and refuses a folder holding
/// anything else, leaving it as it was: a user's folder is never swapped away.
@Suite struct TileFolderReplaceTests {
    @Test func aPreviousTileExportIsReplacedAndAnyOtherFolderRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-tilefolder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("atlas.gpkg").path
        try FullDiskExportTests.makeStore(store, count: 30)
        let tiles = folder.appendingPathComponent("tiles").path
        let export = ["export", "tiles", store, "-o", tiles, "--maxzoom", "8"]

        let first = try GraveAtlasCommand.run(export)
        #expect(first.status == 0, "\(first.stderr)")
        let again = try GraveAtlasCommand.run(export)
        #expect(again.status == 0, "a previous tile export is replaced: \(again.stderr)")
        #expect(FileManager.default.fileExists(atPath: tiles + "/metadata.json"))

        // The same folder with one file of the user's in it: refused, the file kept.
        let note = tiles + "/notes.txt"
        try Data("testimony".utf8).write(to: URL(fileURLWithPath: note))
        let mixed = try GraveAtlasCommand.run(export)
        #expect(mixed.status == 2, "\(mixed.stderr)")
        #expect(mixed.stderr.contains("not empty"), "\(mixed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: note)) == Data("testimony".utf8))

        // A folder of the user's that never held tiles.
        let documents = folder.appendingPathComponent("documents").path
        try FileManager.default.createDirectory(atPath: documents + "/2019", withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: URL(fileURLWithPath: documents + "/2019/report.json"))
        let refused = try GraveAtlasCommand.run(["export", "tiles", store, "-o", documents, "--maxzoom", "8"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(FileManager.default.fileExists(atPath: documents + "/2019/report.json"))
    }
}
