import Crypto
import Foundation
import Store

/// The file of API tokens: one line per token, its SHA-256 (never the token), its audience and
/// its label, tab-separated; `#` starts a comment line.
///
/// ```swift
/// var file = try TokenFile(reading: "tokens.tsv")       // an absent file reads as empty
/// let token = try file.add(audience: .partner, label: "hrw-analysts")   // "k3J…" (43 characters)
/// try file.write(to: "tokens.tsv")                       // mode 0600, replaced atomically
/// file.entries.map(\.label)                              // ["hrw-analysts"]
/// ```
/// Only `partner` and `internal` tokens exist: no token means `public`. Labels are unique,
/// printable and without tabs, so that `revoke --label` names one token and logs can say who
/// asked. The token is 32 bytes from the system's cryptographic random source, base64url.
public struct TokenFile: Sendable, Equatable {
    /// A line of the file.
    public typealias Entry = AccessToken

    public var entries: [Entry] = []

    public init() {}

    /// Reads `path`; a file that does not exist reads as no tokens.
    /// - Throws: `TokenError.unreadable` or `.malformed` naming the file and line.
    public init(reading path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else {
            self.init()
            return
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw TokenError.unreadable(path: path, reason: "\(error.localizedDescription)")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses the file's text (`path` only names it in errors).
    public init(text: String, path: String) throws {
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = line.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3 else {
                throw TokenError.malformed(path: path, line: n + 1, reason: "expected HASH<TAB>AUDIENCE<TAB>LABEL")
            }
            guard Self.isHash(parts[0]) else {
                throw TokenError.malformed(path: path, line: n + 1, reason: "the hash is not 64 lowercase hex digits")
            }
            guard let audience = Audience(rawValue: parts[1]), audience != .public else {
                throw TokenError.malformed(path: path, line: n + 1, reason: "audience '\(parts[1])' is not partner or internal")
            }
            entries.append(Entry(hash: parts[0], audience: audience, label: parts[2]))
        }
    }

    /// The file's text.
    public var text: String {
        "# graveatlas tokens: SHA-256 of the token, audience, label\n"
            + entries.map { "\($0.hash)\t\($0.audience.rawValue)\t\($0.label)\n" }.joined()
    }

    /// Makes a new token for `audience` under `label`, keeps its hash, and returns the token.
    /// - Throws: `TokenError.invalidLabel` for an empty, duplicate or unprintable label, or
    ///   `.invalidAudience` for `public`.
    public mutating func add(audience: Audience, label: String) throws -> String {
        guard audience != .public else { throw TokenError.invalidAudience }
        try Self.check(label: label)
        guard !entries.contains(where: { $0.label == label }) else {
            throw TokenError.invalidLabel(label, reason: "a token with this label exists; revoke it first")
        }
        let token = Self.newToken()
        entries.append(Entry(hash: Self.hash(token), audience: audience, label: label))
        return token
    }

    /// Removes the token labelled `label`.
    /// - Throws: `TokenError.noSuchLabel` when none has it.
    public mutating func revoke(label: String) throws {
        guard entries.contains(where: { $0.label == label }) else { throw TokenError.noSuchLabel(label) }
        entries.removeAll { $0.label == label }
    }

    /// Writes the file: a new file beside it (mode 0600), synced, then renamed over it, so a
    /// reader sees the old file or the new one, never part of one.
    /// - Throws: `TokenError.unwritable` naming the file.
    public func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().path + "/.\(url.lastPathComponent).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw TokenError.unwritable(path: path, reason: String(cString: strerror(errno))) }
        var failure: String?
        do {
            try FileHandle(fileDescriptor: fd, closeOnDealloc: false).write(contentsOf: Data(text.utf8))
        } catch {
            failure = error.localizedDescription
        }
        if failure == nil, fchmod(fd, 0o600) != 0 || fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw TokenError.unwritable(path: path, reason: failure)
        }
    }

    /// Whether `text` is a hash as the file keeps it: 64 lowercase hex digits.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Lowercase hex SHA-256 of the token's UTF-8 text.
    public static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// 32 bytes from a cryptographically secure generator, as unpadded base64url (43 characters).
    public static func newToken() -> String {
        let key = SymmetricKey(size: .bits256)
        let data = key.withUnsafeBytes { Data($0) }
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// - Throws: `TokenError.invalidLabel` for an empty or over-long label, or one with control
    ///   characters or surrounding spaces.
    public static func check(label: String) throws {
        guard !label.isEmpty, label.count <= 200 else {
            throw TokenError.invalidLabel(label, reason: "a label has 1 to 200 characters")
        }
        guard label.unicodeScalars.allSatisfy({ !CharacterSet.controlCharacters.contains($0) }),
              label.trimmingCharacters(in: .whitespaces) == label else {
            throw TokenError.invalidLabel(label, reason: "a label has no tabs, line breaks or surrounding spaces")
        }
    }
}
