import TestSupport
import Export
import Foundation
import Geometry


/// Runs a command-line oracle and returns its status and output.
@discardableResult
func runTool(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
    let run = try ProgramRun.run("/usr/bin/env", arguments, input: Data((stdin ?? "").utf8))
    return (run.status, run.standardOutputText, run.standardErrorText)
}

/// Runs a python script (the pyenv python with mapbox-vector-tile and pmtiles).
func runPython(_ script: String, _ arguments: [String] = []) throws -> String {
    let r = try runTool(["python3", "-c", script] + arguments)
    if r.status != 0 { throw TestFailure("python failed (\(r.status)): \(r.err)") }
    return r.out
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A fresh directory under the system temporary folder.
func temporaryDirectory(_ label: String = "export") throws -> String {
    let path = NSTemporaryDirectory() + "graveatlas-\(label)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Synthetic sites around Tehran: points and polygons (some with holes), all fields filled.
enum SyntheticSites {
    static let conditions = ["intact", "damaged", "destroyed", "built_over", "exhumed", "relocated", "unknown"]
    static let types = ["mass_grave", "individual_grave", "cemetery", "execution_site", "suspected_site"]

    static func make(count: Int, seed: UInt64, polygonShare: Double = 0.3,
                     region: BoundingBox = BoundingBox(minX: 51.0, minY: 35.4, maxX: 51.8, maxY: 36.0)) -> [ExportFeature] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let x = Double.random(in: region.minX...region.maxX, using: &rng)
            let y = Double.random(in: region.minY...region.maxY, using: &rng)
            let geometry: Geometry
            if Double.random(in: 0...1, using: &rng) < polygonShare {
                geometry = polygon(around: Position(x: x, y: y), rng: &rng)
            } else {
                geometry = .point(try! Point(x: x, y: y))
            }
            let id = String(format: "site-%06d", i)
            return ExportFeature(siteID: id, geometry: geometry, properties: [
                ("name", .string("Site \(i)")), ("name:fa", .string("گورستان \(i)")), ("name:en", .string("Site \(i)")),
                ("site_type", .string(types[i % types.count])), ("status", "reported"),
                ("condition", .string(conditions[i % conditions.count])),
                ("description", .string("Description of site \(i)")), ("source", .string("Testimony \(i)")),
                ("victims_min", .int(Int64(i % 50))), ("lon", .double(x)), ("lat", .double(y)),
            ])
        }
    }

    /// An irregular star-shaped polygon of 5–12 corners, radius 50 m–2 km, sometimes with a hole.
    static func polygon(around c: Position, rng: inout SplitMix64) -> Geometry {
        let corners = Int.random(in: 5...12, using: &rng)
        let radius = Double.random(in: 0.0005...0.02, using: &rng)
        var ring: [Position] = (0..<corners).map { k in
            let a = Double(k) / Double(corners) * 2 * .pi
            let r = radius * Double.random(in: 0.6...1.0, using: &rng)
            return Position(x: c.x + r * cos(a), y: c.y + r * sin(a))
        }
        ring.append(ring[0])
        var rings = [ring]
        if Bool.random(using: &rng) {
            let h = radius * 0.3
            rings.append([Position(x: c.x - h, y: c.y - h), Position(x: c.x - h, y: c.y + h),
                          Position(x: c.x + h, y: c.y + h), Position(x: c.x + h, y: c.y - h), Position(x: c.x - h, y: c.y - h)])
        }
        return .polygon(try! Polygon(rings: rings))
    }
}
