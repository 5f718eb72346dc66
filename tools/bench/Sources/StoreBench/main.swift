import Foundation
import Geometry
import Store

// Store benchmarks; run through tools/bench/queries. Prints one line per measure.

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

func syntheticSites(_ n: Int, seed: UInt64) throws -> [Site] {
    var rng = SplitMix(state: seed)
    return try (0..<n).map { i in
        let lon = Double.random(in: 44...63, using: &rng), lat = Double.random(in: 25...40, using: &rng)
        return Site(geometry: .point(try Point(x: lon, y: lat)), name: "site \(i)", type: .massGrave,
                    status: .reported, sensitivity: .public, dataset: "bench", sourceKey: String(i))
    }
}

let arguments = CommandLine.arguments.dropFirst()
guard let mode = arguments.first else {
    FileHandle.standardError.write(Data("usage: StoreBench insert N STORE\n".utf8))
    exit(2)
}
switch mode {
case "insert":
    let n = Int(arguments.dropFirst().first ?? "") ?? 100_000
    let path = arguments.dropFirst(2).first ?? "/tmp/bench.gpkg"
    let sites = try syntheticSites(n, seed: 1)
    let store = try SiteStore.create(at: path, force: true)
    let t = try seconds { try store.insertBatch(sites, label: "bench") }
    try store.close()
    print("insert_batch sites=\(n) seconds=\(String(format: "%.3f", t)) per_second=\(Int(Double(n) / t))")
case "batch-into":
    // Inserts N sites into an existing store in one batch, saying "started" once the batch is
    // under way (the crash test kills it there).
    let path = arguments.dropFirst().first ?? "/tmp/bench.gpkg"
    let n = Int(arguments.dropFirst(2).first ?? "") ?? 1_000_000
    let store = try SiteStore(path: path)
    var rng = SplitMix(state: 99)
    let sites = (0..<n).lazy.map { i -> Site in
        if i == 1_000 { FileHandle.standardOutput.write(Data("started\n".utf8)) }
        let p = Position(x: Double.random(in: -180...180, using: &rng), y: Double.random(in: -90...90, using: &rng))
        return Site(geometry: .point(try! Point(p)), name: "batch \(i)", type: .suspectedSite, // cannot fail: finite coordinates
                    status: .reported, sensitivity: .public)
    }
    try store.insertBatch(sites, label: "crash test")
    try store.close()
    print("finished")
default:
    FileHandle.standardError.write(Data("unknown mode \(mode)\n".utf8))
    exit(2)
}
