import Foundation

/// A file written in an import's temporary folder, whose failures name the user's file and
/// say in words what went wrong (a full disk as such), never the temporary path.
///
/// ```swift
/// let file = try ScratchFile(creating: folder + "/pts.dbf", name: "sites.zip/pts.dbf")
/// try file.write(chunk)     // ImportError.storage("sites.zip/pts.dbf", "the disk … is full")
/// try file.close()
/// ```
/// Written with `write(2)` so the system's own error number (ENOSPC, EDQUOT, EIO …) decides
/// the message. Dropping it unclosed closes it.
final class ScratchFile {
    private var descriptor: Int32
    private let name: String

    /// - Throws: `ImportError.storage` naming `name` when the file cannot be created.
    init(creating path: String, name: String) throws {
        self.name = name
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw ScratchFailure.storage(name, errno: errno) }
    }

    deinit { if descriptor >= 0 { _ = Glibc.close(descriptor) } }

    /// Writes all of `data`.
    /// - Throws: `ImportError.storage` naming the file (a full disk says so).
    func write(_ data: Data) throws {
        try data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            guard var base = buffer.baseAddress else { return }
            var left = buffer.count
            while left > 0 {
                let done = Glibc.write(descriptor, base, left)
                if done < 0 {
                    if errno == EINTR { continue }
                    throw ScratchFailure.storage(name, errno: errno)
                }
                left -= done
                base += done
            }
        }
    }

    /// Closes the file; on some file systems a full disk is only reported here.
    func close() throws {
        let fd = descriptor
        descriptor = -1
        guard Glibc.close(fd) == 0 else { throw ScratchFailure.storage(name, errno: errno) }
    }
}

/// Turns a failure to write an import's temporary files into `ImportError.storage` naming
/// the user's file: the system's error in words, a full disk said as such, and no path.
///
/// ```swift
/// ScratchFailure.storage("sites.zip/pts.dbf", errno: ENOSPC).description
/// // "sites.zip/pts.dbf: cannot extract: the disk of the temporary folder is full (set TMPDIR …)"
/// ```
enum ScratchFailure {
    static func storage(_ name: String, errno code: Int32) -> ImportError {
        let reason: String
        switch code {
        case ENOSPC: reason = "the disk of the temporary folder is full (set TMPDIR to a folder with more room)"
        case EDQUOT: reason = "the disk quota of the temporary folder is used up (set TMPDIR to another folder)"
        default: reason = "cannot write to the temporary folder: \(String(cString: strerror(code)))"
        }
        return .storage(file: name, reason: reason)
    }

    /// The same for an error thrown by Foundation (whose text would name the temporary path).
    static func storage(_ name: String, _ error: Error) -> ImportError {
        storage(name, errno: errorNumber(error) ?? EIO)
    }

    /// The system error number behind a Foundation error, when it carries one.
    static func errorNumber(_ error: Error) -> Int32? {
        if let error = error as? POSIXError { return error.code.rawValue }
        if let error = error as? CocoaError, error.code == .fileWriteOutOfSpace { return ENOSPC }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if ns.domain == NSCocoaErrorDomain, ns.code == CocoaError.fileWriteOutOfSpace.rawValue { return ENOSPC }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error { return errorNumber(underlying) }
        return nil
    }
}
