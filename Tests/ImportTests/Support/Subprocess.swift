import Foundation

/// Runs a command-line tool (an oracle such as `ogr2ogr` or `ogrinfo`) and returns what it
/// prints on standard output; errors go to a file so that large outputs never block.
enum Subprocess {
    struct Failure: Error, CustomStringConvertible {
        let command: [String]
        let status: Int32
        let standardError: String
        var description: String { "\(command.joined(separator: " ")) exited \(status): \(standardError)" }
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL? = nil) throws -> String {
        let errorURL = FileManager.default.temporaryDirectory.appendingPathComponent("import-err-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: errorURL) }
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
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
}
