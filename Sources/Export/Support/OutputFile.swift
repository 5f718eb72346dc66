import Foundation

/// Where an output goes: a file (created or truncated) or the process's standard output.
///
/// ```swift
/// let target = OutputTarget(argument: "-")        // .standardOutput
/// let file = OutputTarget(argument: "sites.csv")  // .file("sites.csv")
/// ```
public enum OutputTarget: Hashable, Sendable, CustomStringConvertible {
    case file(String)
    case standardOutput

    /// `-` means standard output, anything else a file path.
    public init(argument: String) {
        self = argument == "-" ? .standardOutput : .file(argument)
    }

    /// The path, or `-` for standard output (for messages).
    public var description: String {
        switch self {
        case let .file(path): path
        case .standardOutput: "-"
        }
    }
}

/// A byte sink written front to back through a 1 MiB buffer: how every writer streams its
/// output, to a file or to standard output.
///
/// ```swift
/// let out = try OutputFile(path: "sites.geojson")          // or OutputFile(.standardOutput)
/// try out.write("{\"type\":\"FeatureCollection\"")
/// try out.append { bytes in bytes.append(contentsOf: "]}".utf8) }   // straight into the buffer
/// try out.close()
/// ```
/// A file is created (or truncated) on open. `close` flushes (and closes a file; standard
/// output stays open); output not closed may be incomplete. `bytesWritten` counts everything
/// written so far, buffered or not.
public final class OutputFile {
    /// The file's path, or `-` for standard output.
    public let path: String
    private let handle: FileHandle
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    public private(set) var bytesWritten: UInt64 = 0
    private var closed = false

    public convenience init(path: String) throws {
        try self.init(.file(path))
    }

    public init(_ target: OutputTarget) throws {
        switch target {
        case .standardOutput:
            path = "-"
            handle = FileHandle.standardOutput
            ownsHandle = false
        case let .file(path):
            self.path = path
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ExportError.io(path: path, reason: "cannot create file")
            }
            do {
                handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            } catch {
                throw ExportError.io(path: path, reason: "cannot open for writing: \(error.localizedDescription)")
            }
            ownsHandle = true
        }
        buffer.reserveCapacity(capacity + (capacity >> 2))
    }

    deinit {
        if ownsHandle { try? handle.close() }
    }

    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += UInt64(bytes.count)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws {
        var t = text
        try t.withUTF8 { try write($0) }
    }

    /// Lets `body` append bytes straight into the buffer (no intermediate array), then flushes
    /// when the buffer is full.
    ///
    /// - Complexity: O(bytes appended), amortised.
    public func append(_ body: (inout [UInt8]) throws -> Void) throws {
        let before = buffer.count
        try body(&buffer)
        bytesWritten += UInt64(buffer.count - before)
        if buffer.count >= capacity { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            throw ExportError.io(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        guard !closed else { return }
        try flush()
        closed = true
        guard ownsHandle else { return }
        do {
            try handle.close()
        } catch {
            throw ExportError.io(path: path, reason: "cannot close: \(error.localizedDescription)")
        }
    }
}
