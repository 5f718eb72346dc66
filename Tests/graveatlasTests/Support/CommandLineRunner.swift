import Foundation

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
/// collecting both output streams.
func runProgram(_ path: String, _ arguments: [String], stdin: String? = nil, environment: [String: String]? = nil,
                in directory: URL? = nil) throws -> CommandResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    if let environment { process.environment = environment }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // Files, not pipes: a large output cannot fill a pipe buffer and stall the child.
    let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
    let input = folder.appendingPathComponent("in")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    FileManager.default.createFile(atPath: input.path, contents: Data((stdin ?? "").utf8))
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    process.standardInput = try FileHandle(forReadingFrom: input)
    try process.run()
    process.waitUntilExit()
    return CommandResult(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self)
    )
}
