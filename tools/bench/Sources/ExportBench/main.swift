import Foundation
import Geometry
import Store
import TestSupport

// Makes the synthetic store tools/bench/export reads:
//   ExportBench generate N STORE
// and times the output writers for tools/bench/output (see OutputBench.swift):
//   ExportBench output N DIR
// Sites around Iran, 70% points and 30% octagons (50–500 m), a Persian name and a description
// each, 90% public, 8% restricted, 2% confidential; inserted in batches of 100,000.

let names = ["خاوران", "لعنت‌آباد", "گورستان بهشت زهرا", "اهواز، بلوار پرواز", "تبریز", "مشهد، بهشت رضا"]
let types = SiteType.allCases, conditions = SiteCondition.allCases

func site(_ i: Int, _ rng: inout SplitMix64) throws -> Site {
    let x = Double.random(in: 44...63, using: &rng), y = Double.random(in: 25...39.5, using: &rng)
    let geometry: Geometry
    if i % 10 < 7 {
        geometry = .point(try Point(x: x, y: y))
    } else {
        let r = Double.random(in: 0.0005...0.005, using: &rng)
        var ring = (0..<8).map { k in
            Position(x: x + r * cos(2 * .pi * Double(k) / 8), y: y + r * sin(2 * .pi * Double(k) / 8))
        }
        ring.append(ring[0])
        geometry = .polygon(try Polygon(rings: [ring]))
    }
    let s = Double.random(in: 0..<1, using: &rng)
    var out = Site(
        geometry: geometry, name: "Site \(i)", type: types[i % types.count], status: .reported,
        condition: conditions[i % conditions.count], victimsMin: Int.random(in: 0...400, using: &rng),
        sensitivity: s < 0.9 ? .public : (s < 0.98 ? .restricted : .confidential),
        description: "Reported by a witness in \(1988 + i % 30); see the survey notes.")
    out.names = [SiteName(language: "fa", name: "\(names[i % names.count]) \(i)")]
    return out
}

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "output" {
    do { try OutputBench.run(arguments) } catch {
        FileHandle.standardError.write(Data("\(error)\n".utf8))
        exit(2)
    }
    exit(0)
}
guard arguments.count == 3, arguments[0] == "generate", let n = Int(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: ExportBench generate N STORE | ExportBench output N DIR\n".utf8))
    exit(2)
}
var rng = SplitMix64(seed: 1988)
let store = try SiteStore.create(at: arguments[2], force: true)
var made = 0
while made < n {
    let count = min(100_000, n - made)
    let batch = try (made..<(made + count)).map { try site($0, &rng) }
    try store.insertBatch(batch, label: "bench")
    made += count
}
try store.close()
