import Foundation
import Testing

/// The exit-code contract over many ways to go wrong: 2 for bad usage or bad input, 1 for a
/// runtime failure (the disk, the file system), and always exactly one line on stderr that
/// names what was wrong.
@Suite struct ExitCodeTests {
    /// One way to go wrong: the arguments (with `STORE` and `DIR` filled in), the exit code
    /// the contract asks for, and a piece of text the one line must hold.
    struct Case: CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        let mentions: String
        var description: String { arguments.joined(separator: " ") }
    }

    /// The files the cases use, written into `dir`.
    static func writeInputs(_ dir: String, store: String) throws {
        func write(_ name: String, _ text: String) throws {
            try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        try write("points.csv", "name,lon,lat\nKhavaran,51.55,35.6\n")
        try write("bad-mapping.yaml", "fields: [unclosed\n  : : :\n")
        try write("mapping-unknown-field.yaml", "fields:\n  no_such_site_field: name\n")
        try write("not-a-store.gpkg", "this is a text file, not SQLite\n")
        try write("area-bad.geojson", #"{"type":"Polygon","coordinates":[[[51,35],[52,35]]]}"#)
        try write("area-not-json.geojson", "{ not json")
        try write("area-point.geojson", #"{"type":"Point","coordinates":[51,35]}"#)
        try write("garbage.shp", String(repeating: "x", count: 300))
        try write("broken.geojson", #"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":["#)
        try FileManager.default.createDirectory(atPath: dir + "/a-folder.geojson", withIntermediateDirectories: true)
        // A store cut short (a copy interrupted): its header passes, SQLite finds it damaged.
        try Data(try Data(contentsOf: URL(fileURLWithPath: store)).prefix(8192)).write(to: URL(fileURLWithPath: dir + "/cut.gpkg"))
    }

    static let cases: [Case] = [
        // Usage.
        Case(arguments: ["no-such-command"], status: 2, mentions: "no-such-command"),
        Case(arguments: ["query", "near", "STORE", "--lon", "51"], status: 2, mentions: "lat"),
        Case(arguments: ["query", "near", "STORE", "--lon", "51", "--lat", "95", "--radius", "10"], status: 2, mentions: "--lat"),
        Case(arguments: ["query", "near", "STORE", "--lon", "51", "--lat", "35", "--radius", "-3"], status: 2, mentions: "radius"),
        Case(arguments: ["query", "near", "STORE", "--lon", "51", "--lat", "35", "--radius", "10", "--audience", "press"],
             status: 2, mentions: "press"),
        Case(arguments: ["import", "STORE"], status: 2, mentions: "file"),
        // Input files.
        Case(arguments: ["import", "STORE", "DIR/missing.geojson"], status: 2, mentions: "missing.geojson"),
        Case(arguments: ["import", "STORE", "DIR/a-folder.geojson"], status: 2, mentions: "a-folder.geojson"),
        Case(arguments: ["import", "STORE", "DIR/garbage.shp"], status: 2, mentions: "garbage.shp"),
        Case(arguments: ["import", "STORE", "DIR/broken.geojson"], status: 2, mentions: "broken.geojson"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--mapping", "DIR/bad-mapping.yaml"], status: 2,
             mentions: "bad-mapping.yaml"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--mapping", "DIR/mapping-unknown-field.yaml"], status: 2,
             mentions: "mapping-unknown-field.yaml"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--mapping", "DIR/missing.yaml"], status: 2, mentions: "missing.yaml"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--crs", "EPSG:999999"], status: 2, mentions: "999999"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--crs", "not a crs"], status: 2, mentions: "not a crs"),
        Case(arguments: ["import", "STORE", "DIR/points.csv", "--encoding", "klingon-8"], status: 2, mentions: "klingon-8"),
        // Stores.
        Case(arguments: ["stats", "DIR/missing.gpkg"], status: 2, mentions: "missing.gpkg"),
        Case(arguments: ["stats", "DIR/not-a-store.gpkg"], status: 2, mentions: "not-a-store.gpkg"),
        Case(arguments: ["query", "search", "DIR/not-a-store.gpkg", "x"], status: 2, mentions: "not-a-store.gpkg"),
        Case(arguments: ["import", "DIR/not-a-store.gpkg", "DIR/points.csv"], status: 2, mentions: "not-a-store.gpkg"),
        Case(arguments: ["export", "geojson", "DIR/a-folder.geojson", "-o", "DIR/x.geojson"], status: 2,
             mentions: "a-folder.geojson"),
        Case(arguments: ["stats", "DIR/cut.gpkg"], status: 2, mentions: "cut.gpkg"),
        Case(arguments: ["query", "near", "DIR/cut.gpkg", "--lon", "51", "--lat", "35", "--radius", "10"], status: 2,
             mentions: "cut.gpkg"),
        Case(arguments: ["init", "STORE"], status: 2, mentions: "already exists"),
        Case(arguments: ["init", "DIR/no-such-folder/atlas.gpkg"], status: 2, mentions: "no-such-folder"),
        // Areas and filters.
        Case(arguments: ["query", "within", "STORE", "--area", "DIR/area-bad.geojson"], status: 2, mentions: "area-bad.geojson"),
        Case(arguments: ["query", "within", "STORE", "--area", "DIR/area-not-json.geojson"], status: 2,
             mentions: "area-not-json.geojson"),
        Case(arguments: ["query", "within", "STORE", "--area", "DIR/area-point.geojson"], status: 2, mentions: "area-point.geojson"),
        Case(arguments: ["query", "within", "STORE", "--area", "DIR/missing.geojson"], status: 2, mentions: "missing.geojson"),
        Case(arguments: ["export", "geojson", "STORE", "-o", "DIR/x.geojson", "--where", "no_such_field=1"], status: 2,
             mentions: "no_such_field"),
        Case(arguments: ["export", "geojson", "STORE", "-o", "DIR/x.geojson", "--where", "=="], status: 2, mentions: "=="),
        Case(arguments: ["export", "geojson", "STORE", "-o", "DIR/x.geojson", "--bbox", "1,2,3"], status: 2, mentions: "1,2,3"),
        Case(arguments: ["export", "geojson", "STORE", "-o", "DIR/no-such-folder/x.geojson"], status: 2,
             mentions: "no-such-folder"),
        Case(arguments: ["export", "tiles", "STORE", "-o", "DIR/t.pmtiles", "--minzoom", "9", "--maxzoom", "3"], status: 2,
             mentions: "zoom"),
        // Runtime: the machine, not the input.
        Case(arguments: ["export", "geojson", "STORE", "-o", "/proc/self/x.geojson"], status: 1, mentions: "x.geojson"),
    ]

    @Test func everyFailureHasItsExitCodeAndOneLine() throws {
        let (store, folder) = try StoreCommandTests.makeStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.writeInputs(folder.path, store: store)
        var failures: [String] = []
        for c in Self.cases {
            let arguments = c.arguments.map {
                $0 == "STORE" ? store : $0.replacingOccurrences(of: "DIR/", with: folder.path + "/")
            }
            let run = try GraveAtlasCommand.run(arguments)
            let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if run.status != c.status || lines.count != 1 || !run.stderr.lowercased().contains(c.mentions.lowercased()) {
                failures.append("\(c): exit \(run.status) (wanted \(c.status)), stderr: \(run.stderr)")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
