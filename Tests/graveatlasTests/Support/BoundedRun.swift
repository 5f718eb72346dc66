import Foundation

/// One run of the binary under a time limit, with the time and peak memory it took.
struct BoundedRun {
    let result: CommandResult
    /// Peak resident memory of the process, in kilobytes (GNU time's `%M`).
    let peakKilobytes: Int
    let seconds: Double
    /// Killed at the limit: it hung.
    var timedOut: Bool { result.status == 137 || result.status == 124 }

    /// `graveatlas ARGUMENTS` under `timeout -s KILL limit` and GNU `time`: a hang fails the
    /// test at the limit instead of stalling the suite.
    static func graveatlas(_ arguments: [String], limit seconds: Int = 120,
                           environment: [String: String]? = nil) throws -> BoundedRun {
        let measures = FileManager.default.temporaryDirectory.appendingPathComponent("ga-time-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: measures) }
        let result = try runProgram("/usr/bin/timeout", ["-s", "KILL", "\(seconds)", "/usr/bin/time", "-o", measures.path,
                                                         "-f", "%M %e", GraveAtlasCommand.binary.path] + arguments,
                                 environment: environment)
        let text = (try? String(contentsOf: measures, encoding: .utf8)) ?? ""
        let last = text.split(separator: "\n").last.map { $0.split(separator: " ") } ?? []
        return BoundedRun(result: result, peakKilobytes: last.first.flatMap { Int($0) } ?? -1,
                          seconds: last.count > 1 ? Double(last[1]) ?? -1 : -1)
    }
}

/// The content of a store as `sqlite3 .dump` prints it: equal dumps, equal stores.
func storeDump(_ path: String) throws -> String {
    let dump = try runProgram("/usr/bin/sqlite3", [path, ".dump"])
    return dump.stdout
}
