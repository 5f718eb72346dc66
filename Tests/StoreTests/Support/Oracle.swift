import Foundation
import TestSupport

/// Runs GDAL's tools and other programs as independent oracles.
enum Oracle {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> Result {
        let run = try ProgramRun.run(tool, arguments)
        return Result(status: run.status, stdout: run.standardOutputText, stderr: run.standardErrorText)
    }

    /// The system Python, which has GDAL's bindings (so the validator also decodes every WKB).
    static let python = "/usr/bin/python3"
    static let validatorPath = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"

    /// GDAL's validate_gpkg.py in keep-going mode: the list of problems it prints (empty = valid).
    static func validate(_ path: String) throws -> String {
        let r = try run(python, [validatorPath, "-k", path])
        return r.status == 0 && r.stdout.isEmpty ? "" : r.stdout + r.stderr
    }
}

/// A fresh directory under the system temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("graveatlas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
