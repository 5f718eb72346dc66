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
/// A file is written under a temporary name beside it (`PartialFile`) and moved into place by
/// `close`, synced first: until then the previous file stays as it was, and an output never
/// closed (an error, a signal) is removed. Standard output is written as it comes and stays
/// open. `bytesWritten` counts everything written so far, buffered or not.
public final class OutputFile {
    /// The file's path, or `-` for standard output.
    public let path: String
    /// Where the bytes are written until `close`: the partial file, or `path`.
    public var writingPath: String { partial?.path ?? path }
    private let handle: FileHandle
    private let ownsHandle: Bool
    /// The file being written (nil for standard output).
    private let partial: PartialFile?
    /// A scratch file is never moved into place: it is removed when dropped.
    private let scratch: Bool
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    public private(set) var bytesWritten: UInt64 = 0
    private var closed = false

    public convenience init(path: String) throws {
        try self.init(.file(path))
    }

    public init(_ target: OutputTarget) throws {
        scratch = false
        switch target {
        case .standardOutput:
            path = "-"
            handle = FileHandle.standardOutput
            ownsHandle = false
            partial = nil
        case let .file(path):
            self.path = path
            let partial = try PartialFile(destination: path)
            self.partial = partial
            handle = try Self.create(partial.path, naming: path)
            ownsHandle = true
        }
        buffer.reserveCapacity(capacity + (capacity >> 2))
    }

    /// A scratch file beside `path` (hidden, removed when dropped or on SIGINT/SIGTERM), for
    /// data a writer reads back before writing `path` itself (`writingPath` names it).
    public init(scratchBeside path: String) throws {
        let partial = try PartialFile(destination: path + ".scratch")
        self.path = path
        self.partial = partial
        scratch = true
        handle = try Self.create(partial.path, naming: path)
        ownsHandle = true
        buffer.reserveCapacity(capacity + (capacity >> 2))
    }

    private static func create(_ file: String, naming path: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: file, contents: nil) else {
            throw PartialFile.failure(path, "cannot create the file")
        }
        do {
            return try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        } catch {
            throw ExportError.io(path: path, reason: "cannot open for writing: \(error.localizedDescription)")
        }
    }

    deinit {
        if ownsHandle { try? handle.close() }
        // An output dropped before `close` is discarded by its PartialFile.
    }

    /// Removes what was written (a scratch file, or an output given up).
    public func discard() {
        if ownsHandle { try? handle.close() }
        closed = true
        partial?.discard()
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
            throw ExportError.io(path: path, reason: "cannot write: \(Self.reason(error))")
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// An I/O error in words, a full disk named as such.
    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError
        let posix = [ns, underlying].compactMap { $0 }.first { $0.domain == NSPOSIXErrorDomain }
        if posix?.code == Int(ENOSPC) || ns.code == CocoaError.fileWriteOutOfSpace.rawValue {
            return "the disk is full"
        }
        return error.localizedDescription
    }

    /// Flushes, and for a file syncs it, closes it and moves it into place (a scratch file
    /// stays where it is, for reading back).
    public func close() throws {
        guard !closed else { return }
        try flush()
        closed = true
        guard ownsHandle else { return }
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            partial?.discard()
            throw ExportError.io(path: path, reason: "cannot close: \(Self.reason(error))")
        }
        if !scratch { try partial?.commit() }
    }
}
