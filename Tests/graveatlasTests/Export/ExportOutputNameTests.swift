import Foundation
import Testing

/// Output names as users type them: a one-character name in the working folder is written
/// (Foundation's path splitting trapped on it), and `-o -` is refused in one line, since an
/// export is a file with a manifest beside it.
@Suite struct ExportOutputNameTests {
    @Test func shortNamesAndStandardOutput() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-names-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("atlas.gpkg").path
        try FullDiskExportTests.makeStore(store, count: 5)
        for format in ["csv", "geojson", "gpkg"] {
            let name = String(format.prefix(1))
            let run = try runProgram(GraveAtlasCommand.binary.path, ["export", format, store, "-o", name], in: folder)
            #expect(run.status == 0, "-o \(name): \(run.stderr)")
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path))
            #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(name + ".manifest.json").path))
        }
        let dash = try GraveAtlasCommand.run(["export", "csv", store, "-o", "-"])
        #expect(dash.status == 2, "\(dash.stderr)")
        #expect(dash.stderr.split(separator: "\n").count == 1 && dash.stderr.contains("standard output"), "\(dash.stderr)")
    }
}
