import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Refuses an input path that is not a regular file (after following symlinks): a directory,
/// a FIFO, a device or a socket would block, never end (`/dev/zero`) or make no sense.
///
/// ```swift
/// try RegularFile.check(URL(fileURLWithPath: "/dev/zero"), name: "sites.csv")
/// // ImportError.unreadable: "sites.csv: cannot read: it is a character device, not a regular file"
/// ```
/// The check uses `stat`, which never opens the file, so a FIFO with no writer cannot block it.
enum RegularFile {
    /// - Throws: `ImportError.unreadable` naming the kind of file when it is not a regular
    ///   file, or when it does not exist.
    static func check(_ url: URL, name: String) throws {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            let reason = errno == ENOENT ? "no such file or not readable" : String(cString: strerror(errno))
            throw ImportError.unreadable(file: name, reason: reason)
        }
        let kind: String
        switch info.st_mode & S_IFMT {
        case S_IFREG: return
        case S_IFDIR: kind = "a directory"
        case S_IFIFO: kind = "a FIFO (named pipe)"
        case S_IFCHR: kind = "a character device"
        case S_IFBLK: kind = "a block device"
        case S_IFSOCK: kind = "a socket"
        default: kind = "not a file"
        }
        throw ImportError.unreadable(file: name, reason: "it is \(kind), not a regular file")
    }
}
