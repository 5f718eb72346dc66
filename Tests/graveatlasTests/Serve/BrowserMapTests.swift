import Foundation
import TestSupport
import Testing

/// The web map in a real browser: `tools/browser/map_check.py` drives Debian's chromium
/// (headless, WebGL through SwiftShader) with playwright against `graveatlas serve` on a copy of
/// the demo store and on a store holding a restricted site, each started once on a free loopback
/// port. Its checks: the sites drawn in the `damaged` colour where they are; the list naming all
/// seven; `?lang=fa` right to left with «خاوران»; a click opening a site's panel with its event;
/// the time slider at 2000 (no damage yet) and 2018 (all seven damaged); the restricted site
/// drawn generalised at public; clusters at zoom 3 with their counts (each the number of listed
/// sites it stands for) and every site on its own at zoom 14; 79 generalised sites in one cell
/// drawn as its square with the count 79 at zooms 3 to 14; no request to another host; no console
/// error. It prints the screenshots' folder (`artefacts/browser-map/`), the page weight and the
/// time to first render.
@Suite(.serialized) struct BrowserMapTests {
    @Test func theServedMapPassesEveryBrowserCheck() async throws {
        try await Self.check(artefacts: "artefacts/browser-map", [])
    }

    /// The same checks against `graveatlas export map` folders that nginx serves, with no
    /// graveatlas running (search from the static site data).
    @Test func theStaticMapBehindNginxPassesEveryBrowserCheck() async throws {
        try await Self.check(artefacts: "artefacts/browser-map-static", ["--static"])
    }

    /// `export tiles`' style and TileJSON in a plain MapLibre page (`tools/browser/style_check.py`:
    /// MapLibre and `new maplibregl.Map({style: URL})`, nothing of the web map's code) with nginx
    /// serving the exports: with `--base-url` the style and the TileJSON as they are draw the seven
    /// demo sites in the `damaged` colour; without it MapLibre 5.3 draws nothing from the style as it
    /// is (it reads no URL against the style's, as the README says) and draws every site with the
    /// README's `transformRequest` line; no glyph requested, no other host, no console error.
    @Test func theExportedStyleLoadsInAPlainMapLibrePage() async throws {
        try await Self.check(script: "tools/browser/style_check.py", artefacts: "artefacts/browser-style", [])
    }

    /// Runs the check on a thread of its own: a minute of waiting for a browser would otherwise
    /// hold one of the few threads every other test's tasks run on.
    static func check(script: String = "tools/browser/map_check.py", artefacts folder: String, _ extra: [String]) async throws {
        let root = try PackageRoot.url()
        let artefacts = root.appendingPathComponent(folder)
        let binary = GraveAtlasCommand.binary.path
        let run = try await offThePool {
            try ProgramRun.run("python3", [root.appendingPathComponent(script).path, "--graveatlas", binary, "--repo", root.path,
                                           "--artefacts", artefacts.path] + extra,
                               timeout: 900)
        }
        let output = run.standardOutputText
        // The figures and the artefacts' folder, for the test log.
        for line in output.split(separator: "\n") where line.hasPrefix("figure") || line.hasPrefix("note") || line.hasPrefix("screenshots") {
            print(line)
        }
        #expect(run.status == 0 && output.contains("all checks passed"),
                "\(output)\n\(run.standardErrorText.suffix(3000))\n(tools/setup installs chromium, playwright and MapLibre)")
    }
}
