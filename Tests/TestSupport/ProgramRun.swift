import Foundation

/// Runs a program to its end, with a time limit: the one way tests start the command line,
/// GDAL's tools, PROJ's tools and Python oracles.
///
/// ```swift
/// let run = try ProgramRun.run("/usr/bin/ogrinfo", ["-ro", "-al", path])
/// #expect(run.status == 0, "\(run.standardErrorText)")
/// ```
/// Standard input, output and error go through temporary files, never pipes, so a large output
/// cannot fill a pipe and stall the program. The wait polls the process rather than block on
/// it, so a program that never ends is killed (its whole process group, which `Process` makes
/// it the leader of) at `timeout` and reported as `TimedOut`, instead of holding the test run.
public enum ProgramRun {
    public struct Result: Sendable {
        public let status: Int32
        /// True when a signal ended the program (`status` is then the signal).
        public let signalled: Bool
        public let standardOutput: Data
        public let standardError: Data

        public var standardOutputText: String { String(decoding: standardOutput, as: UTF8.self) }
        public var standardErrorText: String { String(decoding: standardError, as: UTF8.self) }
    }

    /// The program was still running at its time limit, and was killed.
    public struct TimedOut: Error, CustomStringConvertible {
        public let command: [String]
        public let seconds: Double
        public var description: String { "\(command.joined(separator: " ")) did not end within \(Int(seconds)) s and was killed" }
    }

    /// The limit when a caller gives none: ten minutes, far above any one program a test runs.
    public static let defaultTimeout: Double = 600

    /// Runs `executable` (a path, or a name looked up on PATH) with `arguments`, feeding `input`,
    /// in `directory` when one is given, with `environment` when one is given.
    public static func run(_ executable: String, _ arguments: [String], input: Data = Data(),
                           environment: [String: String]? = nil, in directory: URL? = nil,
                           timeout: Double = defaultTimeout) throws -> Result {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ga-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in"), outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        try input.write(to: inURL)
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)

        let process = Process()
        if executable.contains("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        if let directory { process.currentDirectoryURL = directory }
        if let environment { process.environment = environment }
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL), errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? inHandle.close()
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        try wait(for: process, command: [executable] + arguments, timeout: timeout)
        return Result(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      standardOutput: try Data(contentsOf: outURL), standardError: try Data(contentsOf: errURL))
    }

    /// Waits for `process` to end, polling (1 ms at first, then up to 20 ms apart); past
    /// `timeout` seconds its process group is killed and `TimedOut` thrown.
    public static func wait(for process: Process, command: [String], timeout: Double = defaultTimeout) throws {
        let deadline = Date().addingTimeInterval(timeout)
        var pause: UInt32 = 1_000
        while process.isRunning {
            if Date() > deadline {
                kill(-process.processIdentifier, SIGKILL)
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                throw TimedOut(command: command, seconds: timeout)
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
        process.waitUntilExit()
    }
}
