import Foundation

/// A file written front to back through a 1 MiB buffer: how every writer streams its output.
///
/// ```swift
/// let out = try OutputFile(path: "sites.geojson")
/// try out.write("{\"type\":\"FeatureCollection\"")
/// try out.close()
/// ```
/// The file is created (or truncated) on open. `close` flushes; a file not closed may be
/// incomplete. `bytesWritten` counts everything written so far, buffered or not.
public final class OutputFile {
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let capacity = 1 << 20
    public private(set) var bytesWritten: UInt64 = 0
    private var closed = false

    public init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ExportError.io(path: path, reason: "cannot create file")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw ExportError.io(path: path, reason: "cannot open for writing: \(error.localizedDescription)")
        }
        buffer.reserveCapacity(capacity)
    }

    deinit { try? handle.close() }

    public func write(_ bytes: some Collection<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        bytesWritten += UInt64(bytes.count)
        if buffer.count >= capacity { try flush() }
    }

    public func write(_ text: String) throws {
        var t = text
        try t.withUTF8 { try write($0) }
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
        do {
            try handle.close()
        } catch {
            throw ExportError.io(path: path, reason: "cannot close: \(error.localizedDescription)")
        }
    }
}
