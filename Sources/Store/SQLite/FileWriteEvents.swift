#if canImport(Glibc)
import Glibc
#endif

/// Whether any process wrote to a store's files since the last look, as the kernel tells it
/// (Linux inotify): the hint that lets `CommitWatch` skip asking SQLite when nothing was written.
///
/// ```swift
/// if let events = FileWriteEvents(files: [path, path + "-wal"]) {
///     events.drained()      // .none: nothing written since the last call
/// }
/// ```
/// A commit to a GeoPackage in WAL mode is a `write` of its frames to the `-wal` file; a
/// checkpoint writes the main file. The kernel queues the write's event before the `write` call
/// returns. The commit becomes visible to readers a moment later, when its writer updates the
/// WAL's index in shared memory, which no event tells: `CommitWatch` therefore keeps asking
/// SQLite for a while after each event (see there). Writes through a memory map (which SQLite
/// never does to a WAL) and writes from another machine (WAL mode works on one machine only)
/// are not seen.
///
/// Nil where it cannot watch (not Linux, a file missing, no inotify instance left): callers
/// then ask SQLite every time.
final class FileWriteEvents: Sendable {
    enum Seen {
        /// Nothing was written since the last call.
        case none
        /// Something was written (or the queue could not be read).
        case written
        /// A file was removed, moved or replaced, or the kernel's queue overflowed: later writes
        /// may go unseen, and the watch must be made again.
        case lost
    }

    private let descriptor: Int32

    init?(files: [String]) {
        #if canImport(Glibc)
        let fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        for file in files {
            let mask = UInt32(IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF)
            guard inotify_add_watch(fd, file, mask) >= 0 else {
                close(fd)
                return nil
            }
        }
        descriptor = fd
        #else
        return nil
        #endif
    }

    deinit {
        #if canImport(Glibc)
        close(descriptor)
        #endif
    }

    /// Empties the queue of events; whether there was any.
    func drained() -> Seen {
        #if canImport(Glibc)
        var seen = Seen.none
        let lostMask = UInt32(IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_Q_OVERFLOW | IN_UNMOUNT)
        return withUnsafeTemporaryAllocation(byteCount: 4096, alignment: 8) { buffer in
            while true {
                let n = read(descriptor, buffer.baseAddress, buffer.count)
                if n > 0 {
                    if seen == .none { seen = .written }
                    // Each event: wd (4 bytes), mask (4), cookie (4), len (4), then len bytes of name.
                    var offset = 0
                    while offset + 16 <= n {
                        let mask = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                        let length = Int(buffer.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        if mask & lostMask != 0 { seen = .lost }
                        offset += 16 + length
                    }
                    continue
                }
                if n < 0, errno == EINTR { continue }
                // EAGAIN: the queue is empty. Anything else: say written, so that SQLite is asked.
                if n < 0, errno != EAGAIN, errno != EWOULDBLOCK { return .written }
                return seen
            }
        }
        #else
        return .written
        #endif
    }
}
