import Foundation
import Geometry
import PostGIS
import Store

// PostGIS query benchmark, run by tools/bench/postgis beside psql on the same database.
//
//   PostGISBench near URL POINTS R      near with radius R metres for each point (lon,lat CSV),
//                                       all on one connection, at the internal audience
//   PostGISBench nearest URL POINTS K   nearest K for each point, likewise
// Prints one line: the queries, the sites found, wall seconds and this process's processor seconds.

/// This process's processor time (user and system) so far, in seconds.
func processorSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return s(usage.ru_utime) + s(usage.ru_stime)
}

/// The points of a `lon,lat` CSV file, one a line; lines that are not two numbers are skipped.
func readPoints(_ path: String) throws -> [Position] {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    return text.split(separator: "\n").compactMap { line in
        let parts = line.split(separator: ",")
        guard parts.count == 2, let x = Double(parts[0]), let y = Double(parts[1]) else { return nil }
        return Position(x: x, y: y)
    }
}

func usage() -> Never {
    FileHandle.standardError.write(Data("usage: PostGISBench near|nearest URL POINTS R|K\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count == 5, let figure = Double(arguments[4]) else { usage() }
do {
    let store = PostGISStore(url: try PostgresURL(arguments[2]))
    let points = try readPoints(arguments[3])
    let cpu0 = processorSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    let answers: [[PostGISMatch]]
    switch arguments[1] {
    case "near": answers = try await store.near(points: points, radius: figure, audience: .everything)
    case "nearest": answers = try await store.nearest(points: points, k: Int(figure), audience: .everything)
    default: usage()
    }
    let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let found = answers.reduce(0) { $0 + $1.count }
    // The benchmark's output, read by tools/bench/postgis.
    print("\(arguments[1]) queries=\(points.count) found=\(found) wall_s=\(wall) cpu_s=\(processorSeconds() - cpu0)")
} catch {
    FileHandle.standardError.write(Data("PostGISBench: \(error)\n".utf8))
    exit(1)
}
