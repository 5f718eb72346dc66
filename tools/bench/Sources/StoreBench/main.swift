import Foundation
import Geometry
@_spi(Benchmarks) import Store
import TestSupport

// Store benchmarks, run by tools/bench/queries (which also runs SpatiaLite on the same file).
//
//   StoreBench generate N STORE [points|clustered]   N synthetic sites in one batch → insert
//                                       rate: spread evenly over Iran (80% points, 20% small
//                                       squares; or only points), or clustered in cemeteries
//                                       (ClusteredSites.swift)
//   StoreBench points-clustered Q SEED N   Q witness points for the clustered set of N sites,
//                                       mostly near its cemeteries, as CSV on stdout
//   StoreBench points Q SEED            Q query points as CSV (lon,lat) on stdout
//   StoreBench near STORE POINTS R      near with radius R metres for each point → queries/s
//   StoreBench near-batch …, nearest-batch …   the same, all points in one call (--points)
//   StoreBench near-batch-walk …        near-batch with each point walking on its own (the
//                                       path before chunks), for comparison
//   StoreBench nearest STORE POINTS K   nearest K for each point → queries/s
//   StoreBench overlaps STORE           the full overlaps self-join → seconds
//   StoreBench batch-into STORE N       one batch of N points, saying "started" (crash test)

/// This process's processor time (user and system) so far, in seconds: beside the wall clock,
/// a figure that other work on the machine disturbs less.
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Sites spread over Iran's extent (44–63°E, 25–40°N): every tenth a square of 20–200 m side,
/// and every tenth but five a square overlapping the one drawn five sites before (candidate
/// duplicates for `overlaps`); the rest points (all of them with `pointsOnly`).
func syntheticSites(_ n: Int, seed: UInt64, pointsOnly: Bool = false) -> [Site] {
    var rng = SplitMix64(seed: seed)
    var previous = (lon: 50.0, lat: 30.0, half: 0.0005)
    return (0..<n).map { i in
        var lon = Double.random(in: 44...63, using: &rng), lat = Double.random(in: 25...40, using: &rng)
        let geometry: Geometry
        if !pointsOnly && (i % 10 == 0 || i % 10 == 5) {
            var h = Double.random(in: 0.0001...0.001, using: &rng)
            if i % 10 == 5 { (lon, lat, h) = (previous.lon + previous.half, previous.lat, previous.half) }
            previous = (lon, lat, h)
            let ring = [Position(x: lon - h, y: lat - h), Position(x: lon + h, y: lat - h), Position(x: lon + h, y: lat + h),
                        Position(x: lon - h, y: lat + h), Position(x: lon - h, y: lat - h)]
            geometry = .polygon(Polygon(exterior: (try? LinearRing(ring)) ?? LinearRing.unitSquare))
        } else {
            geometry = .point((try? Point(x: lon, y: lat)) ?? Point.origin)
        }
        return Site(geometry: geometry, name: "site \(i)", type: .massGrave, status: .reported,
                    sensitivity: .public, dataset: "bench", sourceKey: String(i))
    }
}

extension LinearRing {
    // The ring above is closed with four finite corners, so this fallback is never used.
    static let unitSquare = (try? LinearRing([Position(x: 0, y: 0), Position(x: 1, y: 0), Position(x: 1, y: 1), Position(x: 0, y: 0)]))!  // cannot fail: a closed ring of four finite positions
}

extension Point {
    static let origin = (try? Point(x: 0, y: 0))!  // cannot fail: finite coordinates
}

func readPoints(_ path: String) -> [Position] {
    let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").dropFirst().compactMap { line in
        let f = line.split(separator: ",")
        guard f.count == 2, let x = Double(f[0]), let y = Double(f[1]) else { return nil }
        return Position(x: x, y: y)
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("StoreBench: \(message)\n".utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
func argument(_ i: Int) -> String {
    guard i < arguments.count else { fail("missing argument \(i + 1)") }
    return arguments[i]
}

func number<T: LosslessStringConvertible>(_ i: Int) -> T {
    guard let value = T(argument(i)) else { fail("argument \(i + 1) must be a number") }
    return value
}

do {
    switch arguments.first {
    case "generate":
        let n = number(1) as Int
        let sites: [Site]
        switch arguments.count > 3 ? argument(3) : "uniform" {
        case "uniform": sites = syntheticSites(n, seed: 1)
        case "points": sites = syntheticSites(n, seed: 1, pointsOnly: true)
        case "clustered":
            sites = clusteredSites(n, seed: 1)
            FileHandle.standardError.write(Data((ClusteredLayout(sites: n).summary + "\n").utf8))
        default: fail("the data shape must be uniform, points or clustered")
        }
        let store = try SiteStore.create(at: argument(2), force: true)
        let t = try seconds { try store.insertBatch(sites, label: "bench") }
        // With close: the checkpoint that follows the batch on the writer's queue, and the
        // final one, until the .gpkg alone holds every site.
        let closed = t + (try seconds { try store.close() })
        print("insert_batch\(arguments.count > 3 ? "_" + argument(3) : "") sites=\(n) seconds=\(String(format: "%.3f", t)) sites_per_second=\(Int(Double(n) / t))",
              "with_close_seconds=\(String(format: "%.3f", closed)) with_close_sites_per_second=\(Int(Double(n) / closed))")
    case "points-clustered":
        print("lon,lat")
        for p in clusteredWitnessPoints(number(1) as Int, seed: UInt64(argument(2)) ?? 7, sites: number(3) as Int) {
            print("\(p.x),\(p.y)")
        }
    case "encode":
        // The per-site work before SQLite: validation, GeoPackageBinary, arguments.
        let sites = syntheticSites(number(1) as Int, seed: 1)
        var bytes = 0
        let t = try seconds {
            for site in sites {
                try site.validate()
                bytes += GeoPackageBinary.encode(site.geometry).count
            }
        }
        print("encode sites=\(sites.count) seconds=\(String(format: "%.3f", t)) bytes=\(bytes)")
    case "points":
        let q = number(1) as Int
        var rng = SplitMix64(seed: UInt64(argument(2)) ?? 7)
        print("lon,lat")
        for _ in 0..<q {
            print("\(Double.random(in: 44...63, using: &rng)),\(Double.random(in: 25...40, using: &rng))")
        }
    case "near", "nearest", "near-batch", "nearest-batch", "near-batch-walk":
        // near/nearest: one API call (one read transaction) per point; -batch: every point in
        // one call, as `graveatlas query near --points FILE` runs them.
        let store = try SiteStore(path: argument(1))
        let points = readPoints(argument(2))
        let figure = number(3) as Double
        var results = 0, tiedBeyond = 0
        // The batches stream, as `graveatlas query … --points` does, for the public (the
        // command's default; every bench site is public).
        let view = AudienceView(audience: .public)
        let cpuStart = processorSeconds()
        let t = try seconds {
            switch arguments[0] {
            case "near-batch":
                _ = try store.near(points: points, radius: figure, audience: view) { _ in results += 1 }
            case "near-batch-walk":
                _ = try store.nearWalkingEachPoint(points: points, radius: figure, audience: view) { _ in results += 1 }
            case "nearest-batch":
                // Sites tied with the k-th (to a millimetre) are all returned; the count the
                // references give is k per point, so the ties beyond k are counted apart.
                let summaries = try store.nearest(points: points, k: Int(figure), audience: view) { _ in results += 1 }
                tiedBeyond = summaries.reduce(0) { $0 + ($1.tie?.beyondLimit ?? 0) }
            default:
                for p in points {
                    results += arguments[0] == "near"
                        ? try store.near(p, radius: figure).count
                        : try store.nearest(p, k: Int(figure)).count
                }
            }
        }
        let cpu = processorSeconds() - cpuStart
        try store.close()
        print("\(arguments[0]) queries=\(points.count) results=\(results - tiedBeyond) tied_beyond_k=\(tiedBeyond) seconds=\(String(format: "%.3f", t)) queries_per_second=\(Int(Double(points.count) / t)) cpu_seconds=\(String(format: "%.3f", cpu))")
    case "overlaps":
        let store = try SiteStore(path: argument(1))
        var pairs = 0
        let t = try seconds { pairs = try store.overlaps(minOverlap: 1).count }
        try store.close()
        print("overlaps pairs=\(pairs) seconds=\(String(format: "%.3f", t))")
    case "batch-into":
        let store = try SiteStore(path: argument(1))
        let n = number(2) as Int
        var rng = SplitMix64(seed: 99)
        let sites = (0..<n).lazy.map { i -> Site in
            if i == 1_000 { FileHandle.standardOutput.write(Data("started\n".utf8)) }
            let lon = Double.random(in: -180...180, using: &rng), lat = Double.random(in: -90...90, using: &rng)
            return Site(geometry: .point((try? Point(x: lon, y: lat)) ?? Point.origin), name: "batch \(i)",
                        type: .suspectedSite, status: .reported, sensitivity: .public)
        }
        try store.insertBatch(sites, label: "crash test")
        try store.close()
        print("finished")
    default:
        fail("usage: StoreBench generate|points|near|nearest|overlaps|batch-into …")
    }
} catch {
    fail("\(error)")
}
