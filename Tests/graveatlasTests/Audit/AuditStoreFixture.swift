import Foundation
import TestSupport

/// A store built the way a team builds one, through the real `graveatlas` binary: the demo
/// data (`geodata/`, seven sites with a dated `events:` mapping) imported, imported again
/// unchanged, imported again from a copy with one site renamed and one left out
/// (`--mark-missing`), and the grid made coarser; plus the tools that tamper with it as an
/// adversary or a careless edit would (the sqlite3 shell, GDAL).
struct AuditStoreFixture {
    let folder: TestFolder
    let store: String

    /// The demo file with the first site renamed and the last one left out.
    static func changedDemo(_ original: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: original))
        guard var json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              var features = json["features"] as? [[String: Any]], features.count > 2,
              var properties = features[0]["properties"] as? [String: Any] else {
            throw FixtureError("\(original): not the demo FeatureCollection")
        }
        properties["name_en"] = "Khavaran cemetery, Tehran"
        features[0]["properties"] = properties
        features.removeLast()
        json["features"] = features
        return String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
    }

    static func geodata(_ name: String) throws -> String {
        try PackageRoot.url().appendingPathComponent("geodata/" + name).path
    }

    /// Builds the store; every command must succeed.
    init() throws {
        folder = try TestFolder()
        store = folder.path("iran-1988.gpkg")
        let data = try Self.geodata("iran-1988-damaged-sites.geojson")
        let mapping = try Self.geodata("iran-1988-damaged-sites.mapping.yaml")
        // The changed copy keeps the file's name, so that it is the same dataset's source.
        try FileManager.default.createDirectory(atPath: folder.path("v2"), withIntermediateDirectories: true)
        let changed = try folder.write("v2/iran-1988-damaged-sites.geojson", try Self.changedDemo(data))
        for args in [["init", store],
                     ["import", store, data, "--mapping", mapping, "--by", "Researcher A"],
                     ["import", store, data, "--mapping", mapping],
                     ["import", store, changed, "--mapping", mapping, "--dataset", "iran-1988-damaged-sites", "--mark-missing",
                      "--by", "Researcher B"],
                     ["settings", store, "--cell-size", "0.2", "--by", "Analyst C"]] {
            let run = try GraveAtlasCommand.run(args)
            guard run.status == 0 else { throw FixtureError("graveatlas \(args.joined(separator: " ")): \(run.stderr)") }
        }
    }

    /// A copy of the store to tamper with.
    func copy(_ name: String) throws -> String {
        let path = folder.path(name)
        try FileManager.default.copyItem(atPath: store, toPath: path)
        return path
    }

    /// Runs SQL through the sqlite3 shell, with SpatiaLite's GeoPackage functions loaded when
    /// asked (a GeoPackage's R*Tree triggers need them for any change of a geometry).
    @discardableResult
    static func sqlite3(_ store: String, _ statements: [String], spatialite: Bool = false) throws -> CommandResult {
        let prefix = spatialite ? [".load mod_spatialite", "SELECT EnableGpkgMode();"] : []
        let run = try runProgram("/usr/bin/sqlite3", [store] + prefix + statements)
        guard run.status == 0, !run.stderr.contains("Error") else {
            throw FixtureError("sqlite3 \(statements.joined(separator: "; ")): \(run.stderr)")
        }
        return run
    }

    /// One value read through the sqlite3 shell.
    static func value(_ store: String, _ sql: String) throws -> String {
        try sqlite3(store, [sql]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func verify(_ store: String) throws -> CommandResult {
        try GraveAtlasCommand.run(["audit", "verify", store])
    }
}
