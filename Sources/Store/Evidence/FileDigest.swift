import Crypto
import Foundation

/// The size and SHA-256 of a file's bytes, read front to back in 1 MiB chunks (memory stays
/// flat whatever the size), through swift-crypto. The one place a file is hashed: evidence
/// files, export manifests and their verification all come here.
///
/// ```swift
/// let d = try FileDigest(path: "report.pdf")
/// d.bytes    // 48213
/// d.sha256   // "9f86d081884c7d65…" (64 lowercase hex digits)
/// ```
/// `copyingTo`, when given, receives every chunk as it is hashed, so a file can be copied and
/// hashed in one pass (what is hashed is exactly what was copied).
public struct FileDigest: Hashable, Sendable {
    public var bytes: Int
    public var sha256: String

    public init(bytes: Int, sha256: String) {
        self.bytes = bytes
        self.sha256 = sha256
    }

    /// - Throws: `EvidenceError.unreadable` naming the file when it cannot be opened or read
    ///   (a folder, a missing file, an I/O error), or whatever `copyingTo` throws.
    public init(path: String, copyingTo sink: ((UnsafeRawBufferPointer) throws -> Void)? = nil) throws {
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        let (bytes, digest) = try Self.hashFile(path, buffer: &buffer, copyingTo: sink)
        self.init(bytes: bytes, sha256: Self.hex(digest))
    }

    /// The size and the raw SHA-256 (32 bytes) of a file, read in chunks of `buffer`'s size,
    /// for callers that hash many small files with one buffer (an export's tiles: a fresh
    /// 1 MiB buffer per tile file cost more than hashing it).
    /// - Throws: `EvidenceError.unreadable` naming the file.
    public static func raw(path: String, buffer: inout [UInt8]) throws -> (bytes: Int, sha256: [UInt8]) {
        try hashFile(path, buffer: &buffer, copyingTo: nil)
    }

    private static func hashFile(_ path: String, buffer: inout [UInt8],
                             copyingTo sink: ((UnsafeRawBufferPointer) throws -> Void)?) throws -> (Int, [UInt8]) {
        let file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw EvidenceError.unreadable(path: path, reason: Self.reason(errno)) }
        defer { close(file) }
        if buffer.isEmpty { buffer = [UInt8](repeating: 0, count: 1 << 16) }
        var hasher = SHA256()
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw EvidenceError.unreadable(path: path, reason: Self.reason(errno))
            }
            if count == 0 { break }
            try buffer.withUnsafeBytes { all in
                let chunk = UnsafeRawBufferPointer(rebasing: all[0..<count])
                hasher.update(bufferPointer: chunk)
                try sink?(chunk)
            }
            total += count
        }
        return (total, Array(hasher.finalize()))
    }

    /// SHA-256 of bytes in memory, as 64 lowercase hex digits.
    public static func sha256(of bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// A digest as lowercase hex.
    public static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `text` is a SHA-256 as this project writes it: 64 lowercase hex digits.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    static func reason(_ code: Int32) -> String {
        code == EISDIR ? "is a folder, not a file" : String(cString: strerror(code))
    }
}
