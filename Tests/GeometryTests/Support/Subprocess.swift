import Foundation

/// Runs a command-line tool (an oracle such as `cs2cs` or `geod`) and returns what it prints.
///
/// Input goes through a temporary file and errors to another, so that large inputs and
/// outputs never block on a full pipe.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let standardError: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
    }

    /// Runs `arguments[0]` (looked up on PATH) with the rest as its arguments, feeding `input`.
    static func run(_ arguments: [String], input: String = "") throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let inputURL = directory.appendingPathComponent("oracle-in-\(UUID().uuidString)")
        let errorURL = directory.appendingPathComponent("oracle-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: inputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        try Data(input.utf8).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
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
    static func numbers(_ arguments: [String], input: String) throws -> [[Double]] {
        try run(arguments, input: input)
            .split(separator: "\n")
            .map { line in line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { Double($0) ?? .nan } }
    }
}


extension Double {
    /// Twelve decimals, as the oracles are fed.
    var oracleText: String { String(format: "%.12f", self) }
}
