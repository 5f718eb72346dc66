import TestSupport
import Foundation
import ZIPFoundation

/// A temporary folder of fixtures made at test time: GeoJSON written here by the tests and
/// turned into shapefiles, GeoPackages and reprojected copies by GDAL's `ogr2ogr`, an
/// independent implementation. Removed when released.
final class FixtureFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("import-fixtures-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> URL { url.appendingPathComponent(name) }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        let file = path(name)
        try Data(text.utf8).write(to: file)
        return file
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let file = path(name)
        try Data(bytes).write(to: file)
        return file
    }

    /// `ogr2ogr -f FORMAT OUT IN [options]` inside the folder; returns the output's URL.
    @discardableResult
    func ogr2ogr(_ format: String, _ output: String, _ input: String, _ options: [String] = []) throws -> URL {
        try Subprocess.run(["ogr2ogr", "-f", format, output, input] + options, in: url)
        return path(output)
    }

    /// A shapefile made from a GeoJSON fixture, reprojected to `srs` and written in `encoding`.
    @discardableResult
    func shapefile(_ name: String, from geojson: String, srs: String? = nil, encoding: String? = nil) throws -> URL {
        var options: [String] = []
        if let srs { options += ["-t_srs", srs] }
        if let encoding { options += ["-lco", "ENCODING=\(encoding)"] }
        return try ogr2ogr("ESRI Shapefile", name + ".shp", geojson, options)
    }

    /// A zip archive of files in the folder (paths relative to it).
    @discardableResult
    func zip(_ name: String, _ members: [String]) throws -> URL {
        let archive = try Archive(url: path(name), accessMode: .create)
        for member in members {
            try archive.addEntry(with: member, relativeTo: url)
        }
        return path(name)
    }

    /// The feature count `ogrinfo` reports for a file's first layer.
    func ogrinfoCount(_ name: String) throws -> Int {
        let text = try Subprocess.run(["ogrinfo", "-so", "-al", name], in: url)
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Feature Count:") }),
              let count = Int(line.split(separator: " ").last ?? "") else { return -1 }
        return count
    }

    /// The features of a file as GDAL reads them, reprojected to EPSG:4326, as parsed JSON.
    func ogrFeatures(_ name: String, options: [String] = []) throws -> [[String: Any]] {
        let out = "oracle-\(UUID().uuidString).geojson"
        try ogr2ogr("GeoJSON", out, name, ["-t_srs", "EPSG:4326", "-lco", "COORDINATE_PRECISION=15"] + options)
        let data = try Data(contentsOf: path(out))
        let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return json?["features"] as? [[String: Any]] ?? []
    }
}
