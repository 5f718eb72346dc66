import Foundation
import TestSupport

/// Python's `json` module as an independent JSON reader and writer: each input line is parsed
/// with `json.loads` and written back with `json.dumps` (ASCII only, so every non-ASCII
/// character comes back as a `\u` escape, surrogate pairs included). Lines Python refuses come
/// back as `ERROR …`.
enum PythonJSONOracle {
    static let script = #"""
import sys, json
out = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.rstrip("\n")
    try:
        out.append(json.dumps(json.loads(line), ensure_ascii=True, allow_nan=False))
    except Exception as e:
        out.append("ERROR " + str(e).replace("\n", " "))
sys.stdout.write("\n".join(out) + "\n")
"""#

    static func run(_ lines: [String]) throws -> [String] {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("json-oracle-\(UUID().uuidString).txt")
        try lines.joined(separator: "\n").appending("\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let run = try ProgramRun.run("/usr/bin/python3", ["-c", script, input.path])
        let data = run.standardOutput
        let answers = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .prefix(lines.count).map(String.init)
        guard run.status == 0, answers.count == lines.count else {
            throw OGROracle.Failure(description: "python3 json failed (\(run.status))")
        }
        return answers
    }
}
