#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Logging
import ServiceLifecycle

/// The access log: its lines, formatted by hand into one buffer that a thread of its own writes
/// out, a burst of lines at a time, so that a request pays neither swift-log's formatting nor a
/// system call.
///
/// ```swift
/// let log = AccessLog(logger: logger)       // standard error, when the logger logs `info`
/// log.record { line in line += Array("GET /tiles/14/1/2.mvt 200".utf8) }
/// // 2026-12-04T21:36:01+0000 info graveatlas.serve: audience=public client=127.0.0.1 ms=0.3 [Serve] GET /tiles/14/1/2.mvt 200
/// ```
/// A line is the line swift-log's `StreamLogHandler` writes (local time to the second, level,
/// label, metadata sorted by key, `[Serve]`, the message): the format users and scripts read.
/// - A line reaches the file about a millisecond after it is recorded (the writer waits that
///   long for the rest of a burst), and always before the server stops: as a `Service` in the
///   application's group it is stopped after the HTTP server, and `close()` writes what is left.
///   A line recorded after `close()` is written at once.
/// - Nothing is dropped: when the writer falls behind by `maxPending` bytes (standard error
///   blocked), recording waits for it, as a direct write would.
/// - A logger that does not log `info` (the tests' routers) turns it off: `isEnabled` is false
///   and no thread is started. The logger's handler is not called: the lines go to `fd`.
/// Threads: `record` from any thread; one writer thread, started with the first line.
final class AccessLog: Service, @unchecked Sendable {   // every var is read and written under `condition`
    /// The logger's label, named in each line.
    let label: [UInt8]
    let isEnabled: Bool
    /// The file descriptor written to (2, standard error).
    let fd: Int32
    /// Bytes waiting for the writer beyond which `record` waits.
    static let maxPending = 1 << 20
    /// How long the writer lets a burst gather before writing it, µs.
    static let gather: UInt32 = 1_000

    private let condition = NSCondition()
    private var pending: [UInt8] = []
    private var started = false
    private var writerWaiting = false
    private var writing = false
    private var closed = false
    /// The second `stamp` was formatted for, and the formatted time with its space.
    private var second = -1
    private var stamp: [UInt8] = []

    /// The log of `logger`'s label, on standard error, on when it logs `info`.
    convenience init(logger: Logger) {
        self.init(label: logger.label, enabled: logger.logLevel <= .info, fd: 2)
    }

    init(label: String, enabled: Bool, fd: Int32) {
        self.label = Array(label.utf8)
        isEnabled = enabled
        self.fd = fd
        pending.reserveCapacity(64 << 10)
    }

    /// Adds one line: the time, level and label, then what `body` appends (metadata, source,
    /// message), then a line feed.
    func record(_ body: (inout [UInt8]) -> Void) {
        guard isEnabled else { return }
        condition.lock()
        defer { condition.unlock() }
        while pending.count >= Self.maxPending && !closed { condition.wait() }
        appendStamp()
        pending += stamp
        pending += Self.info
        pending += label
        pending.append(UInt8(ascii: ":"))
        body(&pending)
        pending.append(UInt8(ascii: "\n"))
        if closed {
            Self.write(pending, to: fd)
            pending.removeAll(keepingCapacity: true)
        } else if writerWaiting {
            condition.signal()
        } else if !started {
            started = true
            let thread = Thread { [self] in drain() }
            thread.name = "access-log"
            thread.start()
        }
    }

    /// Writes every line recorded so far, and every later one at once; stops the writer.
    func close() {
        condition.lock()
        defer { condition.unlock() }
        // The writer's batch goes out before what is still pending, in order.
        while writing { condition.wait() }
        closed = true
        Self.write(pending, to: fd)
        pending.removeAll(keepingCapacity: true)
        condition.broadcast()
    }

    /// Until the application shuts down (after its server has), then `close()`.
    func run() async throws {
        try? await gracefulShutdown()
        close()
    }

    /// The writer: waits for lines, lets a burst gather, writes it in one call.
    private func drain() {
        var batch: [UInt8] = []
        batch.reserveCapacity(64 << 10)
        condition.lock()
        while true {
            while pending.isEmpty && !closed {
                writerWaiting = true
                condition.wait()
                writerWaiting = false
            }
            if closed { break }
            condition.unlock()
            usleep(Self.gather)
            condition.lock()
            if closed { break }
            swap(&batch, &pending)
            writing = true
            condition.broadcast()   // room again for a recorder waiting on `maxPending`
            condition.unlock()
            Self.write(batch, to: fd)
            batch.removeAll(keepingCapacity: true)
            condition.lock()
            writing = false
            condition.broadcast()   // `close()` may wait for this batch
        }
        condition.unlock()
    }

    /// The local time to the second, as `StreamLogHandler` writes it, and a space; formatted
    /// once a second.
    private func appendStamp() {
        var now = time(nil)
        guard now != second else { return }
        second = now
        var local = tm()
        var text = [CChar](repeating: 0, count: 64)
        if localtime_r(&now, &local) != nil, strftime(&text, text.count, "%Y-%m-%dT%H:%M:%S%z", &local) > 0 {
            stamp = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        } else {
            stamp = Array("<unknown>".utf8)
        }
        stamp.append(UInt8(ascii: " "))
    }

    private static let info = Array("info ".utf8)

    /// All of `bytes` to `fd`, through short writes and interruptions; a failing descriptor
    /// (standard error closed) ends the attempt: there is nowhere left to say so.
    private static func write(_ bytes: [UInt8], to fd: Int32) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count, let base = raw.baseAddress {
                let n = systemWrite(fd, base + offset, raw.count - offset)
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}

/// write(2), named apart from `AccessLog.write`.
private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
