import Foundation

/// Runs a command-line oracle (`cs2cs`, `geod`, `ogr2ogr`, `ogrinfo` …) and returns what it
/// prints on standard output.
///
/// Input goes through a temporary file and errors to another, so that large inputs and
/// outputs never block on a full pipe.
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
        let temporary = FileManager.default.temporaryDirectory
        let inputURL = temporary.appendingPathComponent("oracle-in-\(UUID().uuidString)")
        let errorURL = temporary.appendingPathComponent("oracle-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        try Data(input.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errorURL, encoding: .utf8)) ?? ""
            throw Failure(command: arguments, status: process.terminationStatus, standardError: message)
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Runs a tool and splits each output line into numbers (fields that are not numbers,
    /// such as `*` for a failed point, become NaN).
    public static func numbers(_ arguments: [String], input: String) throws -> [[Double]] {
        try run(arguments, input: input)
            .split(separator: "\n")
            .map { line in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Double($0) ?? .nan } }
    }
}
