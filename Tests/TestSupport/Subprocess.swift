import Foundation

/// Runs a command-line oracle (`cs2cs`, `geod`, `ogr2ogr`, `ogrinfo` …) and returns what it
/// prints on standard output.
///
/// Through `ProgramRun`: temporary files for every stream, and a time limit.
public enum Subprocess {
    public struct Failure: Error, CustomStringConvertible {
        public let command: [String]
        public let status: Int32
        public let standardError: String
        public var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as its arguments, feeding `input`,
    /// in `directory` when one is given.
    @discardableResult
    public static func run(_ arguments: [String], input: String = "", in directory: URL? = nil) throws -> String {
        let run = try ProgramRun.run("/usr/bin/env", arguments, input: Data(input.utf8), in: directory)
        guard run.status == 0 else {
            throw Failure(command: arguments, status: run.status, standardError: run.standardErrorText)
        }
        return run.standardOutputText
    }

    /// Runs a tool and splits each output line into numbers (fields that are not numbers,
    /// such as `*` for a failed point, become NaN).
    public static func numbers(_ arguments: [String], input: String) throws -> [[Double]] {
        try run(arguments, input: input)
            .split(separator: "\n")
            .map { line in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Double($0) ?? .nan } }
    }
}
