import Foundation

/// Fixed-size records of a plain type in a nameless temporary file, read by position: what a
/// structure that would grow with the store keeps on disk instead of in memory (the server's
/// items index, the low zooms' cluster summary). The system's file cache holds the pages that
/// are read often; the process holds none of them.
///
/// ```swift
/// let writer = try RecordFile<Entry>.Writer()
/// try writer.append(entry)                 // buffered, written 256 KiB at a time
/// let file = try writer.finish()           // read-only from here on, safe from any thread
/// file.count; try file[3]                  // one read of one record
/// try file.forEach(from: 3) { e in … ; return true }   // front to back, 64 KiB at a time
/// ```
/// The file is made with `mkstemp` (mode 0600) in the temporary folder and unlinked at once: no
/// other process can open it by name, and the system frees it when the last handle closes, even
/// when the process is killed. It holds what the audience's structure holds, which for the
/// `internal` audience are confidential sites' positions: never put it where others can read it.
///
/// The records are the bytes of `Record` in this process's layout, never read by another one.
public final class RecordFile<Record: BitwiseCopyable>: Sendable {
    public let count: Int
    private let descriptor: Int32

    private static var stride: Int { MemoryLayout<Record>.stride }

    fileprivate init(descriptor: Int32, count: Int) {
        self.descriptor = descriptor
        self.count = count
    }

    deinit { close(descriptor) }

    /// The record at `position` (0 ..< count).
    /// - Throws: `ExportError.io` when the file cannot be read (or `position` is out of range).
    public subscript(position: Int) -> Record {
        get throws {
            guard position >= 0, position < count else {
                throw ExportError.io(path: "(temporary records)", reason: "record \(position) of \(count) asked for")
            }
            var record: Record? = nil
            try withUnsafeTemporaryAllocation(of: Record.self, capacity: 1) { buffer in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                try Self.read(descriptor, into: raw, at: position * Self.stride)
                record = buffer[0]
            }
            guard let record else { throw ExportError.io(path: "(temporary records)", reason: "record \(position) was not read") }
            return record
        }
    }

    /// Calls `body` with the records from `position` on, in order, until it returns false or
    /// the file ends. Reads 64 KiB at a time.
    public func forEach(from position: Int = 0, _ body: (Record) throws -> Bool) throws {
        var next = max(0, position)
        let batch = max(1, (64 << 10) / Self.stride)
        try withUnsafeTemporaryAllocation(of: Record.self, capacity: batch) { buffer in
            while next < count {
                let n = min(batch, count - next)
                try Self.read(descriptor, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[0 ..< n * Self.stride]),
                              at: next * Self.stride)
                for i in 0 ..< n {
                    guard try body(buffer[i]) else { return }
                }
                next += n
            }
        }
    }

    /// The first position in `range` at which `isBelow` turns false, for records ordered so that
    /// `isBelow` is true for a prefix of them (a binary search: O(log n) reads of one record).
    public func partitionPoint(in range: Range<Int>? = nil, where isBelow: (Record) throws -> Bool) throws -> Int {
        var low = range?.lowerBound ?? 0, high = range?.upperBound ?? count
        while low < high {
            let mid = (low + high) / 2
            if try isBelow(self[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private static func read(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress.map { $0 + done }, buffer.count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                throw ExportError.io(path: "(temporary records)", reason: n == 0 ? "the file ended early" : String(cString: strerror(errno)))
            }
            done += n
        }
    }

    /// Appends records to a new file; `finish` hands it over for reading. One owner, one thread.
    public final class Writer {
        private let descriptor: Int32
        private var buffer: [Record] = []
        private let capacity: Int
        private var written = 0
        private var finished = false

        /// - Throws: `ExportError.io` when no temporary file can be made.
        public init() throws {
            let folder = ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            var template = Array((folder + "/graveatlas-records.XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { t in t.baseAddress.map { mkstemp($0) } ?? -1 }
            guard fd >= 0 else {
                throw ExportError.io(path: folder, reason: "cannot make a temporary file: \(String(cString: strerror(errno)))")
            }
            let path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            unlink(path)
            descriptor = fd
            capacity = max(1, (256 << 10) / MemoryLayout<Record>.stride)
            buffer.reserveCapacity(capacity)
        }

        deinit { if !finished { close(descriptor) } }

        public var count: Int { written + buffer.count }

        public func append(_ record: Record) throws {
            buffer.append(record)
            if buffer.count == capacity { try flush() }
        }

        public func append(contentsOf records: some Collection<Record>) throws {
            for r in records { try append(r) }
        }

        /// The file, for reading; the writer is spent.
        public func finish() throws -> RecordFile<Record> {
            try flush()
            finished = true
            return RecordFile(descriptor: descriptor, count: written)
        }

        private func flush() throws {
            guard !buffer.isEmpty else { return }
            let stride = MemoryLayout<Record>.stride
            try buffer.withUnsafeBytes { bytes in
                var done = 0
                while done < bytes.count {
                    let n = pwrite(descriptor, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(written * stride + done))
                    if n < 0, errno == EINTR { continue }
                    guard n > 0 else {
                        throw ExportError.io(path: "(temporary records)", reason: "cannot write: \(String(cString: strerror(errno)))")
                    }
                    done += n
                }
            }
            written += buffer.count
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
