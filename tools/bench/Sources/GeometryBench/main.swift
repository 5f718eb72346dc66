import Foundation
import Geometry

/// Benchmarks of the geometry core; `tools/bench/geometry` runs them beside the reference tools.
///   GeometryBench transform FILE FROM TO      transform "x y" lines, write "x y" lines to stdout
///   GeometryBench pip POLYGONS.wkt POINTS.txt  point-in-polygon join, prints timings and hits

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func readPositions(_ path: String) throws -> [Position] {
    var data = try Data(contentsOf: URL(fileURLWithPath: path))
    data.append(0)  // strtod needs a terminated buffer
    var out: [Position] = []
    out.reserveCapacity(data.count / 24)
    data.withUnsafeBytes { raw in
        guard let base = raw.baseAddress?.assumingMemoryBound(to: CChar.self) else { return }
        var cursor = UnsafeMutablePointer(mutating: base)
        var end: UnsafeMutablePointer<CChar>? = cursor
        while true {
            let x = strtod(cursor, &end)
            guard let afterX = end, afterX != cursor else { return }
            let y = strtod(afterX, &end)
            guard let afterY = end, afterY != afterX else { return }
            out.append(Position(x: x, y: y))
            cursor = afterY
        }
    }
    return out
}

let args = CommandLine.arguments
let stderr = FileHandle.standardError
func report(_ line: String) { stderr.write(Data((line + "\n").utf8)) }

do {
    switch args.dropFirst().first {
    case "pip" where args.count == 4:
        let polygons = try String(contentsOfFile: args[2], encoding: .utf8)
            .split(separator: "\n").map { try Geometry(wkt: String($0)) }
        let points = try readPositions(args[3])
        let geos = try GEOSContext()
        let join = PointInPolygonJoin(polygons: polygons, cell: 0.1)
        var prepared = 0, plain = 0
        let tPrepared = try seconds { prepared = try join.countPrepared(points, geos: geos) }
        let tPlain = try seconds { plain = try join.countPlain(points, geos: geos) }
        print("prepared_s=\(tPrepared) plain_s=\(tPlain) hits=\(prepared) plain_hits=\(plain) points=\(points.count) polygons=\(polygons.count)")
    case "transform" where args.count == 5:
        var positions = try readPositions(args[2])
        let transformer = try Transformer(from: CoordinateReferenceSystem(args[3]), to: CoordinateReferenceSystem(args[4]))
        let t = try seconds { try transformer.transform(&positions) }
        var out = ""
        out.reserveCapacity(positions.count * 40)
        for p in positions { out += "\(p.x) \(p.y)\n" }
        FileHandle.standardOutput.write(Data(out.utf8))
        report("transform_only_s=\(t) points=\(positions.count)")
    default:
        report("usage: GeometryBench pip POLYGONS.wkt POINTS.txt | transform FILE FROM TO")
        exit(2)
    }
} catch {
    report("GeometryBench: \(error)")
    exit(1)
}
