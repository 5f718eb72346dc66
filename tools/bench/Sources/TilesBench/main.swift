// Tile benchmark driver: `TilesBench generate N SEED OUT.geojsons` writes N synthetic sites as a
// GeoJSON text sequence; `TilesBench tiles IN.geojsons OUT.pmtiles MINZOOM MAXZOOM` reads it
// and cuts PMTiles, as the reference tools do from the same file.
import Export
import Foundation
import Geometry
import TestSupport

let conditions = ["intact", "damaged", "destroyed", "built_over", "exhumed", "relocated", "unknown"]
let args = CommandLine.arguments

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

switch args.dropFirst().first {
case "generate":
    guard args.count == 5, let n = Int(args[2]), let seed = UInt64(args[3]) else { fail("usage: TilesBench generate N SEED OUT") }
    var rng = SplitMix64(seed: seed)
    // Sites cluster around cities, as real sites do: 60 centres over Iran, spread of ~0.5°.
    let centres = (0..<60).map { _ in
        Position(x: Double.random(in: 45...61, using: &rng), y: Double.random(in: 26...39, using: &rng))
    }
    let features = (0..<n).lazy.map { i -> ExportFeature in
        let c = centres[i % centres.count]
        let r = 0.5 * sqrt(Double.random(in: 0...1, using: &rng)), a = Double.random(in: 0..<(2 * .pi), using: &rng)
        let p = Position(x: c.x + r * cos(a), y: c.y + r * sin(a))
        return ExportFeature(siteID: "site-\(i)", geometry: .point(try! Point(p)), properties: [  // finite by construction: cannot fail
            ("name", .string("Site \(i)")), ("condition", .string(conditions[i % conditions.count])),
        ])
    }
    do {
        let columns = OutputColumns(featureKeys: ["name", "condition"])
        let writer = try OutputFormat.geojsonseq.make(.file(args[4]), columns)
        for feature in features { try writer.write(columns.record(for: feature)) }
        _ = try writer.finish(summary: nil)
    } catch { fail("\(error)") }
case "tiles":
    guard args.count == 6, let minZoom = Int(args[4]), let maxZoom = Int(args[5]) else {
        fail("usage: TilesBench tiles IN OUT MINZOOM MAXZOOM")
    }
    guard let data = FileManager.default.contents(atPath: args[2]) else { fail("cannot read \(args[2])") }
    var features: [ExportFeature] = []
    for line in data.split(separator: 0x0A) {
        let record = line.first == 0x1E ? line.dropFirst() : line[...]
        guard !record.isEmpty else { continue }
        do {
            let v = try JSONValue(parsing: record)
            guard let g = v["geometry"], let id = v["id"]?.stringValue else { continue }
            var props: [(String, PropertyValue)] = []
            for m in v["properties"]?.objectValue?.members ?? [] {
                if let s = m.value.stringValue { props.append((m.key, .string(s))) }
            }
            features.append(ExportFeature(siteID: id, geometry: try Geometry(geoJSON: g), properties: props))
        } catch { fail("\(args[2]): \(error)") }
    }
    do {
        let result = try TileExport.run(features, output: args[3], options: TileOptions(minZoom: minZoom, maxZoom: maxZoom))
        print("tiles \(result.summary.tileCount) largest \(result.summary.largestTileBytes) B")
    } catch { fail("\(error)") }
default:
    fail("usage: TilesBench generate|tiles …")
}
