import Foundation
import Geometry
import Store
import Testing

/// Numbers typed the ordinary way: half the world has negative longitudes, so `--lon -3.7`
/// must reach the command as a value, never be taken for an option.
@Suite struct NegativeNumberTests {
    static func store() throws -> (path: String, folder: URL) {
        let made = try StoreCommandTests.makeStore()
        return made
    }

    /// Each numeric option with a negative value, and what the command must say: either an
    /// answer (exit 0) or its own check of the value (exit 2 with that option's words), never
    /// ArgumentParser's "Missing value".
    static let cases: [(arguments: [String], status: Int32, says: String?)] = [
        (["query", "near", "STORE", "--lon", "-3.7038", "--lat", "40.4168", "--radius", "20000"], 0, nil),
        (["query", "near", "STORE", "--lon", "-58.38", "--lat", "-34.6", "--radius", "1000"], 0, nil),
        (["query", "near", "STORE", "--lon", "-3.7", "--lat", "40", "--radius", "-5"], 2, "--radius"),
        (["query", "near", "STORE", "--lon", "-3.7", "--lat", "40", "--radius", "5", "--limit", "-1"], 2, "--limit"),
        (["query", "nearest", "STORE", "--lon", "-3.7", "--lat", "-33.9"], 0, nil),
        (["query", "nearest", "STORE", "--lon", "-3.7", "--lat", "-33.9", "-k", "-3"], 2, "-k"),
        (["query", "overlaps", "STORE", "--min-overlap", "-1"], 2, "--min-overlap"),
        (["query", "search", "STORE", "Ahvaz", "--limit", "-2"], 2, "--limit"),
        (["geo", "buffer", "--metres", "-10", "POINT (-3.7 40.4)"], 2, "--metres"),
        (["geo", "buffer", "--metres", "10", "--segments", "-8", "POINT (-3.7 40.4)"], 2, "--segments"),
        (["geo", "distance", "POINT (-3.7 40.4)", "POINT (-3.6 40.4)"], 0, nil),
        (["export", "geojson", "STORE", "-o", "OUT/x.geojson", "--bbox", "-9.5,36,-6,42"], 0, nil),
        (["export", "geojson", "STORE", "-o", "OUT/y.geojson", "--cell-size", "-0.1"], 2, "--cell-size"),
        (["export", "tiles", "STORE", "-o", "OUT/t.pmtiles", "--minzoom", "-1"], 2, "zoom"),
    ]

    @Test(arguments: 0..<cases.count)
    func negativeValueReachesTheCommand(_ index: Int) throws {
        let (path, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let c = Self.cases[index]
        let arguments = c.arguments.map {
            $0 == "STORE" ? path : $0.replacingOccurrences(of: "OUT/", with: folder.path + "/")
        }
        let result = try GraveAtlasCommand.run(arguments)
        #expect(!result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
        #expect(result.status == c.status, "\(arguments): \(result.stderr)")
        if let says = c.says { #expect(result.stderr.contains(says), "\(arguments): \(result.stderr)") }
    }

    /// A point west of Greenwich and one south of the equator find what lies there: the
    /// negative values are used as given, not dropped or turned positive.
    @Test func westernAndSouthernPointsFindTheirSites() throws {
        let (path, folder) = try Self.store()
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SiteStore(path: path)
        try store.insertBatch([
            Site(geometry: .point(try Point(x: -3.7038, y: 40.4168)), name: "Madrid centre", type: .cemetery,
                 status: .reported, sensitivity: .public),
            Site(geometry: .point(try Point(x: -58.3816, y: -34.6037)), name: "Buenos Aires centre", type: .cemetery,
                 status: .reported, sensitivity: .public),
        ])
        try store.close()
        let madrid = try GraveAtlasCommand.run(
            ["query", "near", path, "--lon", "-3.70", "--lat", "40.42", "--radius", "1000", "--format", "csv"])
        #expect(madrid.status == 0, "\(madrid.stderr)")
        #expect(madrid.stdout.contains("Madrid centre") && !madrid.stdout.contains("Buenos Aires"))
        let south = try GraveAtlasCommand.run(
            ["query", "nearest", path, "--lon", "-58.38", "--lat", "-34.60", "-k", "1", "--format", "csv"])
        #expect(south.status == 0, "\(south.stderr)")
        #expect(south.stdout.contains("Buenos Aires centre"))
    }
}
