import Crypto
import Foundation
import Logging
import Store
import Synchronization

/// Decides the audience of a request from its `Authorization` header: none is `public`, a
/// known bearer token is its audience, anything else is refused (never a silent downgrade).
///
/// ```swift
/// let resolver = AudienceResolver(tokenFile: "tokens.tsv", logger: logger)
/// try resolver.resolve(authorization: nil)                  // .public, no label
/// try resolver.resolve(authorization: "Bearer k3J…")       // .partner, label "hrw-analysts"
/// try resolver.resolve(authorization: "Bearer wrong")      // throws ServeError 401
/// ```
/// The file is read again when its modification time, size or inode change, so a revoke takes
/// effect on the next request without a restart. A file that becomes unreadable or malformed
/// accepts no token until it is repaired (and says so in the log), rather than keeping tokens
/// that may have been revoked. Hashes are compared in constant time, over every entry.
///
/// Tokens kept elsewhere (a database's, which its follower hands over) come through `given()`:
/// `use(_:)` replaces them, and `unavailable(_:)` says they cannot be read now. Until the first
/// `use`, and while they are unavailable, a request with a token is answered 503 and one
/// without is public: no token that may have been revoked is accepted meanwhile.
///
/// ```swift
/// let resolver = AudienceResolver.given(logger: logger)
/// resolver.use([TokenFile.Entry(hash: TokenFile.hash("k3J…"), audience: .partner, label: "ngo")])
/// try resolver.resolve(authorization: "Bearer k3J…")       // .partner, label "ngo"
/// ```
public final class AudienceResolver: Sendable {
    /// Who asked: the audience, and the token's label for the log (nil at public).
    public struct Resolution: Sendable, Equatable {
        public var audience: Audience
        public var label: String?
    }

    private struct Loaded {
        var stamp: FileStamp?
        /// Why the given tokens cannot be used now (nil once `use` has given some).
        var unavailable: String?
        var entries: [TokenFile.Entry] = []
        /// Each entry's hash as bytes, for the constant-time comparison.
        var digests: [[UInt8]] = []
    }

    private struct FileStamp: Equatable {
        var modified: Double
        var size: Int64
        var inode: UInt64
    }

    public let tokenFile: String?
    /// Whether the tokens are handed over (`given`) rather than read from `tokenFile`.
    private let isGiven: Bool
    private let logger: Logger
    private let loaded: Mutex<Loaded>

    public init(tokenFile: String?, logger: Logger = Logger(label: "graveatlas.serve")) {
        self.tokenFile = tokenFile
        self.logger = logger
        isGiven = false
        loaded = Mutex(Loaded())
    }

    private init(givenBy logger: Logger) {
        tokenFile = nil
        self.logger = logger
        isGiven = true
        loaded = Mutex(Loaded(unavailable: "the tokens have not been read yet"))
    }

    /// A resolver whose tokens are handed to it by `use(_:)`; none is accepted before.
    public static func given(logger: Logger = Logger(label: "graveatlas.serve")) -> AudienceResolver {
        AudienceResolver(givenBy: logger)
    }

    /// Accepts these tokens (and no other) from the next request on.
    public func use(_ given: [TokenFile.Entry]) {
        let entries = given.filter { TokenFile.isHash($0.hash) && $0.audience != .public }
        if entries.count < given.count {
            logger.error("left out tokens whose hash is not 64 lowercase hex digits or whose audience is public",
                         metadata: ["left out": "\(given.count - entries.count)"])
        }
        let digests = entries.map { Self.bytes(hex: $0.hash) }
        loaded.withLock { $0 = Loaded(entries: entries, digests: digests) }
        logger.info("took the tokens", metadata: ["tokens": "\(entries.count)"])
    }

    /// Accepts no token until the next `use`: requests with one are answered 503.
    public func unavailable(_ reason: String) {
        let already = loaded.withLock { state in
            defer { state = Loaded(unavailable: reason) }
            return state.unavailable != nil
        }
        if !already { logger.error("the tokens cannot be read; no token is accepted until they can", metadata: ["reason": "\(reason)"]) }
    }

    /// The audience for a request with this `Authorization` header value.
    /// - Throws: `ServeError` 401 for a header that is not `Bearer TOKEN`, or a token that is
    ///   unknown or revoked; 503 when given tokens cannot be read now.
    public func resolve(authorization: String?) throws -> Resolution {
        guard let authorization else { return Resolution(audience: .public, label: nil) }
        let parts = authorization.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw ServeError.unauthorized("the Authorization header must be 'Bearer TOKEN'")
        }
        let presented = Array(SHA256.hash(data: Array(parts[1].utf8)))
        let entries = current()
        if entries.unavailable != nil {
            throw ServeError.unavailable("the tokens cannot be checked now; try again shortly")
        }
        var match: TokenFile.Entry?
        for (entry, digest) in zip(entries.entries, entries.digests) {
            // Every entry is compared, whole: the time taken does not say which one matched.
            if Self.constantTimeEqual(presented, digest) && match == nil { match = entry }
        }
        guard let match else { throw ServeError.unauthorized("the token is unknown or revoked") }
        return Resolution(audience: match.audience, label: match.label)
    }

    /// The entries of the token file as it is now, read again when it has changed.
    private func current() -> Loaded {
        if isGiven { return loaded.withLock { $0 } }
        guard let tokenFile else { return Loaded() }
        let stamp = Self.stamp(tokenFile)
        if let cached = loaded.withLock({ $0.stamp == stamp && stamp != nil ? $0 : nil }) { return cached }
        var fresh = Loaded(stamp: stamp)
        do {
            let file = try TokenFile(reading: tokenFile)
            fresh.entries = file.entries
            fresh.digests = file.entries.map { Self.bytes(hex: $0.hash) }
            logger.info("read the token file", metadata: ["tokens": "\(file.entries.count)"])
        } catch {
            logger.error("the token file cannot be used; no token is accepted until it is repaired",
                         metadata: ["reason": "\(error)"])
        }
        loaded.withLock { $0 = fresh }
        return fresh
    }

    private static func stamp(_ path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let modified = Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        return FileStamp(modified: modified, size: Int64(info.st_size), inode: UInt64(info.st_ino))
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8 = c <= 57 ? c - 48 : c - 87   // TokenFile checked: 0-9 a-f only
            if let h = high { out.append(h << 4 | v); high = nil } else { high = v }
        }
        return out
    }
}
