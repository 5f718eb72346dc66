import Foundation

/// Runs a program to its end, with a time limit: the one way tests start the command line,
/// GDAL's tools, PROJ's tools and Python oracles.
///
/// ```swift
/// let run = try ProgramRun.run("/usr/bin/ogrinfo", ["-ro", "-al", path])
/// #expect(run.status == 0, "\(run.standardErrorText)")
/// ```
/// Standard input, output and error go through temporary files, never pipes, so a large output
/// cannot fill a pipe and stall the program. The program is a `SpawnedProgram`: it inherits no
/// other descriptor, and its end is polled with `waitpid`, so a program that never ends is
/// killed (its whole process group) at `timeout` and reported as `TimedOut`, instead of holding
/// the test run, and a program that has ended is seen to have ended whatever runs beside it.
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

        let program = try SpawnedProgram(executable, arguments, environment: environment, in: directory,
                                         standardInput: inURL.path, standardOutput: outURL.path,
                                         standardError: errURL.path)
        let ending = try program.wait(timeout: timeout, command: [executable] + arguments)
        return Result(status: ending.status, signalled: ending.signalled,
                      standardOutput: try Data(contentsOf: outURL), standardError: try Data(contentsOf: errURL))
    }
}
