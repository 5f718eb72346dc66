import Crypto
import Foundation
import Geometry
import Store
#if canImport(Glibc)
import Glibc
#endif

/// An Ed25519 key pair (swift-crypto) that signs export manifests, kept as two short text files:
/// a type line, then the key's 32 bytes in base64.
///
/// ```
/// KEY      (mode 0600)  graveatlas ed25519 private key
///                       <base64 of the 32-byte private key (seed)>
/// KEY.pub  (mode 0644)  graveatlas ed25519 public key
///                       <base64 of the 32-byte public key>
/// ```
/// ```swift
/// let key = ManifestSigningKey()
/// try key.write(to: "team.key")                   // team.key and team.key.pub, never overwritten
/// let again = try ManifestSigningKey(file: "team.key")
/// ```
/// Key files are hostile input: a file over 4 KiB, a wrong type line or a key of the wrong
/// length is refused with `ManifestError.badKey`, never a crash.
public struct ManifestSigningKey: Sendable {
    static let privateType = "graveatlas ed25519 private key"
    static let publicType = "graveatlas ed25519 public key"

    /// The private key's 32 bytes.
    private let raw: [UInt8]
    public let publicKey: ManifestPublicKey

    /// A new random key.
    public init() {
        let key = Curve25519.Signing.PrivateKey()
        raw = Array(key.rawRepresentation)
        publicKey = ManifestPublicKey(checkedRaw: Array(key.publicKey.rawRepresentation))
    }

    /// The key in a private key file.
    public init(file path: String) throws {
        let bytes = try KeyText.read(path, type: Self.privateType)
        let key: Curve25519.Signing.PrivateKey
        do { key = try Curve25519.Signing.PrivateKey(rawRepresentation: bytes) } catch {
            throw ManifestError.badKey(path: path, reason: "the private key is not a valid Ed25519 key")
        }
        raw = bytes
        publicKey = ManifestPublicKey(checkedRaw: Array(key.publicKey.rawRepresentation))
    }

    /// Ed25519 signature of `bytes`.
    public func sign(_ bytes: [UInt8]) throws -> [UInt8] {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        return Array(try key.signature(for: bytes))
    }

    /// Writes the private key to `path` (0600) and the public key to `path.pub` (0644), each
    /// atomically, refusing to replace either when it exists (nothing is written then).
    public func write(to path: String) throws {
        let pub = path + ".pub"
        for p in [path, pub] where FileManager.default.fileExists(atPath: p) || (try? FileManager.default.destinationOfSymbolicLink(atPath: p)) != nil {
            throw ManifestError.keyExists(path: p)
        }
        try KeyText.create(path, type: Self.privateType, raw, mode: 0o600)
        try KeyText.create(pub, type: Self.publicType, publicKey.raw, mode: 0o644)
    }
}

/// The public half of a `ManifestSigningKey`, read from `KEY.pub` or from a signature.
public struct ManifestPublicKey: Hashable, Sendable {
    /// The key's 32 bytes.
    public let raw: [UInt8]

    init(checkedRaw: [UInt8]) { raw = checkedRaw }

    /// - Throws: `ManifestError.badKey` (naming `origin`) unless `raw` is an Ed25519 public key.
    public init(raw: [UInt8], origin: String) throws {
        guard raw.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw ManifestError.badKey(path: origin, reason: "not a 32-byte Ed25519 public key")
        }
        self.raw = raw
    }

    /// The key in a public key file.
    public init(file path: String) throws {
        try self.init(raw: try KeyText.read(path, type: ManifestSigningKey.publicType), origin: path)
    }

    /// SHA-256 of the key's 32 bytes, in hex: how a signature names the key that made it.
    public var fingerprint: String { FileDigest.sha256(of: raw) }

    /// Whether `signature` is this key's Ed25519 signature of `bytes`.
    public func isSignature(_ signature: [UInt8], of bytes: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}

/// Reading and writing the two-line key files.
enum KeyText {
    static let limit = 4096

    /// The 32 bytes of a key file of `type`.
    static func read(_ path: String, type: String) throws -> [UInt8] {
        let bytes = try BoundedFile.read(path, limit: limit) { ManifestError.badKey(path: path, reason: $0) }
        let lines = String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard lines.count == 2, lines[0] == type else {
            let other = type == ManifestSigningKey.privateType ? ManifestSigningKey.publicType : ManifestSigningKey.privateType
            if lines.first.map({ $0 == other }) == true {
                throw ManifestError.badKey(path: path, reason: "this is a \(other.dropFirst("graveatlas ".count)), not a \(type.dropFirst("graveatlas ".count))")
            }
            throw ManifestError.badKey(path: path, reason: "expected the line '\(type)' and one line of base64")
        }
        guard let raw = Data(base64Encoded: String(lines[1]).trimmingCharacters(in: .whitespaces)), raw.count == 32 else {
            throw ManifestError.badKey(path: path, reason: "the key is not 32 bytes in base64")
        }
        return Array(raw)
    }

    /// Writes a key file that must not exist: a temporary file in the same folder, synced, then
    /// linked to its name (which fails if the name was taken meanwhile) and the temporary removed.
    static func create(_ path: String, type: String, _ raw: [UInt8], mode: mode_t) throws {
        let text = Array((type + "\n" + Data(raw).base64EncodedString() + "\n").utf8)
        let folder = PathText.folder(of: path)
        let scratch = (folder.isEmpty ? "." : folder) + "/.graveatlas-key-" + UUID().uuidString
        let handle = open(scratch, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard handle >= 0 else { throw ManifestError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        defer { unlink(scratch) }
        let written = text.withUnsafeBytes { writeAll(handle, $0) }
        let synced = written && fchmod(handle, mode) == 0 && fsync(handle) == 0
        let failure = errno
        close(handle)
        guard synced else { throw ManifestError.cannotWrite(path: path, reason: String(cString: strerror(failure))) }
        guard link(scratch, path) == 0 else {
            if errno == EEXIST { throw ManifestError.keyExists(path: path) }
            throw ManifestError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private static func writeAll(_ handle: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        var rest = bytes
        while !rest.isEmpty {
            let n = posixWrite(handle, rest.baseAddress, rest.count)
            if n < 0 { if errno == EINTR { continue }; return false }
            rest = UnsafeRawBufferPointer(rebasing: rest[n...])
        }
        return true
    }
}

/// Reads a whole small file, refusing one over `limit` bytes (hostile input: a key, a signature,
/// a manifest) without reading past the limit.
enum BoundedFile {
    static func read(_ path: String, limit: Int, _ failure: (String) -> Error) throws -> [UInt8] {
        let handle = open(path, O_RDONLY | O_CLOEXEC)
        guard handle >= 0 else { throw failure(errno == ENOENT ? "no such file" : String(cString: strerror(errno))) }
        defer { close(handle) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { posixRead(handle, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw failure(errno == EISDIR ? "is a folder, not a file" : String(cString: strerror(errno)))
            }
            if n == 0 { return out }
            guard out.count + n <= limit else { throw failure("larger than \(limit) bytes") }
            out += buffer[0..<n]
        }
    }
}

/// The system's `read` and `write`, by names no type here shadows.
private func posixRead(_ handle: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(handle, buffer, count) }
private func posixWrite(_ handle: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(handle, buffer, count) }
