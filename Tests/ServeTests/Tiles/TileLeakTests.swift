import Export
import Foundation
import Geometry
import HTTPTypes
import Serve
import Store
import TestSupport
import Testing

/// The public tiles hold nothing protected, read by an independent decoder: every public tile
/// the server gives (all of a public export's, and those at every zoom around each protected
/// site's true position) is decoded by Python's `mapbox-vector-tile`, its coordinates turned
/// back into longitude and latitude, and checked as every other public answer is (`LeakCheck`):
/// no position within 20 m of a restricted site's vertex or 150 m of a confidential site, no
/// protected site's words.
@Suite struct TileLeakTests {
    @Test func noPublicTileHoldsAnythingProtected() async throws {
        let fixture = try ServeFixture.make("tile-leak", publicCount: 40, restricted: 25, confidential: 20, west: 6)
        defer { fixture.remove() }
        var paths = Set(try fixture.exportTiles(.public).keys)
        for site in fixture.sites where site.sensitivity != .public {
            let c = site.geometry.boundingBox?.center ?? Position(x: 0, y: 0)
            for z in 0...14 {
                let t = TileCoordinate(containing: c, zoom: z)
                paths.insert("\(t)")
            }
        }
        let folder = fixture.folder + "/public-tiles"
        let asked = paths.sorted()
        let written = Counter()
        try await RouterHarness.run(store: fixture.storePath) { get in
            for path in asked {
                let a = try await get("/tiles/\(path).mvt", [:])
                #expect(a.status == 200 || a.status == 204, "\(path): \(a.status)")
                guard a.status == 200 else { continue }
                let file = folder + "/" + path + ".mvt"
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try Data(a.bytes).write(to: URL(fileURLWithPath: file))
                await written.add()
            }
        }
        #expect(await written.value > 200)
        let decode = Self.decode
        let run = try await offThePool { try ProgramRun.run("python3", ["-c", decode, folder]) }
        #expect(run.status == 0, "\(run.standardErrorText)")
        let bodies = run.standardOutputText.split(separator: "\n").map { line -> (String, String) in
            let parts = line.split(separator: "\t", maxSplits: 1)
            return (String(parts.first ?? ""), String(parts.count > 1 ? parts[1] : ""))
        }
        #expect(bodies.count > 500, "features decoded")
        let positions = LeakCheck(fixture.sites).expectNothingProtected(in: bodies)
        #expect(positions > 500)
        #expect(bodies.contains { $0.1.contains("\"generalised\": true") }, "restricted sites are in the tiles, generalised")
    }

    /// One line per feature: the tile, a tab, then `{"coordinates": [lon, lat, …], "properties": {…}}`.
    static let decode = #"""
    import sys, os, math, json
    import mapbox_vector_tile
    root = sys.argv[1]
    def pairs(c):
        if isinstance(c[0], (int, float)): yield c
        else:
            for part in c: yield from pairs(part)
    for folder, _, files in os.walk(root):
        for name in files:
            z, x = map(int, os.path.relpath(folder, root).split(os.sep)); y = int(name[:-4])
            data = open(os.path.join(folder, name), "rb").read()
            for layer in mapbox_vector_tile.decode(data, default_options={"y_coord_down": True}).values():
                extent = layer.get("extent", 4096)
                for f in layer["features"]:
                    n = 2 ** z; out = []
                    for u, v in pairs(f["geometry"]["coordinates"]):
                        wx, wy = (x + u / extent) / n, (y + v / extent) / n
                        out += [wx * 360 - 180, math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * wy))))]
                    print(f"{z}/{x}/{y}\t" + json.dumps({"coordinates": out, "properties": f["properties"]}, ensure_ascii=False))
    """#
}

/// A count kept inside the router test's closure.
actor Counter {
    var value = 0
    func add() { value += 1 }
}
