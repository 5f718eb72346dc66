import Foundation
import TestSupport

/// What one run of the `graveatlas` binary produced.
struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs the `graveatlas` binary built beside the test bundle, as a user would.
enum GraveAtlasCommand {
    /// The binary in the build products folder that also holds the test bundle.
    static let binary: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The test runner may live inside an .xctest bundle folder; the products are above it.
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("graveatlas").path),
              folder.path != "/" {
            folder.deleteLastPathComponent()
        }
        return folder.appendingPathComponent("graveatlas")
    }()

    static func run(_ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil) throws -> CommandResult {
        try runProgram(binary.path, arguments, stdin: stdin, environment: environment)
    }
}

/// Runs any program (in `directory`, else this process's working folder), feeding `stdin` and
/// collecting both output streams, within `ProgramRun`'s time limit.
func runProgram(_ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                in directory: URL? = nil, timeout: Double = ProgramRun.defaultTimeout) throws -> CommandResult {
    let run = try ProgramRun.run(path, arguments, input: Data((stdin ?? "").utf8), environment: environment,
                                 in: directory, timeout: timeout)
    return CommandResult(status: run.status, stdout: run.standardOutputText, stderr: run.standardErrorText)
}
