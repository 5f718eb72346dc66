import Foundation
import Geometry
import TestSupport
import Testing

/// `graveatlas export map`: the folder it writes (page, MapLibre, tiles, sites, settings,
/// manifest), what the public sees in it, and how it takes the place of an earlier export.
/// The browser test (`BrowserMapTests`) runs the page from such a folder behind nginx.
@Suite struct ExportMapTests {
    static let web = (try? PackageRoot.url().appendingPathComponent("web").path) ?? "web"

    @Test func theFolderHoldsThePageItsDataAndAManifestOfEveryFile() throws {
        let fixture = try ExportStoreFixture.make("map")
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let out = fixture.directory + "/map"
        let run = try GraveAtlasCommand.run(["export", "map", fixture.store, "-o", out, "--web", Self.web])
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["index.html", "web/app.js", "web/vendor/maplibre-gl.js", "web/vendor/maplibre-gl.css", "sites.json", "map.json",
                     "manifest.json", "tiles/style.json", "tiles/tilejson.json", "basemap.geojson"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let settings = try JSONValue(parsing: try String(contentsOfFile: out + "/map.json", encoding: .utf8))
        #expect(settings["style"]?.stringValue == "tiles/style.json" && settings["search"]?.isNull == true)
        // The public sees the public sites exactly and the restricted ones generalised; confidential ones not at all.
        let sites = try JSONValue(parsing: try String(contentsOfFile: out + "/sites.json", encoding: .utf8))
        let features = sites["features"]?.arrayValue ?? []
        let shown = fixture.sites.filter { $0.sensitivity != .confidential }
        #expect(features.count == shown.count)
        let text = try String(contentsOfFile: out + "/sites.json", encoding: .utf8)
        for site in fixture.sites where site.sensitivity != .public {
            #expect(!text.contains(site.name) && !text.contains(site.description), "\(site.name) leaks into sites.json")
        }
        // The manifest's hashes are the files'.
        let manifest = try JSONValue(parsing: try String(contentsOfFile: out + "/manifest.json", encoding: .utf8))
        for entry in manifest["files"]?.arrayValue ?? [] {
            let path = out + "/" + (entry["path"]?.stringValue ?? "")
            let sum = try ProgramRun.run("/usr/bin/sha256sum", [path]).standardOutputText.prefix(64)
            #expect(String(sum) == entry["sha256"]?.stringValue, "\(path)")
        }
        #expect((manifest["files"]?.arrayValue?.count ?? 0) >= 8)
    }

    @Test func anEarlierMapIsReplacedWholeAndAnyOtherFolderRefused() throws {
        let fixture = try ExportStoreFixture.make("map-replace")
        defer { try? FileManager.default.removeItem(atPath: fixture.directory) }
        let out = fixture.directory + "/map"
        #expect(try GraveAtlasCommand.run(["export", "map", fixture.store, "-o", out, "--web", Self.web]).status == 0)
        try Data("old".utf8).write(to: URL(fileURLWithPath: out + "/left-over.txt"))
        let again = try GraveAtlasCommand.run(["export", "map", fixture.store, "-o", out, "--web", Self.web])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out + "/left-over.txt"), "the new folder replaced the old one whole")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: fixture.directory).filter { $0.contains(".partial-") || $0.contains(".replaced-") }
        #expect(leftovers.isEmpty, "\(leftovers)")

        let other = fixture.directory + "/notes"
        try FileManager.default.createDirectory(atPath: other, withIntermediateDirectories: true)
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: other + "/notes.txt"))
        let refused = try GraveAtlasCommand.run(["export", "map", fixture.store, "-o", other, "--web", Self.web])
        #expect(refused.status == 2 && refused.stderr.contains("not an earlier map export"), "\(refused.stderr)")
        #expect(try String(contentsOfFile: other + "/notes.txt", encoding: .utf8) == "keep me")
    }
}
