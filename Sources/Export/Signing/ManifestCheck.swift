import Foundation
import Geometry
import Store

/// Checks an export against its manifest: every listed file hashed again (streamed), and the
/// manifest's detached signature (`ManifestSignature`) when there is one. A listed file that is
/// itself a manifest (`….manifest.json`, as the map export lists its tiles' manifest) is checked
/// in turn, so one signature covers everything below it.
///
/// ```swift
/// let report = try ManifestCheck.run("out/sites.geojson.manifest.json", trusting: try ManifestPublicKey(file: "team.key.pub"))
/// report.problems      // [] when every file matches
/// report.signature     // .valid(trusted: true, fingerprint: "…")
/// ```
/// The manifest is hostile input: it is read up to `manifestLimit` bytes, and a path that is
/// absolute, empty or climbs out of the manifest's folder (`..`) makes the whole manifest
/// unusable (`ManifestError.badManifest`): nothing outside the folder is ever opened.
public enum ManifestCheck {
    /// The largest manifest read (a tile folder's lists every tile).
    public static let manifestLimit = 256 << 20
    /// How deep manifests listed by manifests are followed.
    static let depthLimit = 4

    /// One file that does not match its manifest.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        case missing(path: String)
        case altered(path: String, expected: FileDigest, found: FileDigest)
        case unreadable(path: String, reason: String)

        public var description: String {
            switch self {
            case let .missing(path): "missing: \(path)"
            case let .altered(path, expected, found):
                "altered: \(path): \(found.bytes) bytes with SHA-256 \(found.sha256); the manifest lists "
                    + "\(expected.bytes) bytes with SHA-256 \(expected.sha256)"
            case let .unreadable(path, reason): "unreadable: \(path): \(reason)"
            }
        }
    }

    /// What was found of the signature.
    public enum SignatureFinding: Hashable, Sendable {
        /// No `.sig` beside the manifest.
        case absent
        /// The signature is good for the manifest's bytes; `trusted` when the key was the one
        /// given to check against, else only the signature's own key (which anyone can make).
        case valid(trusted: Bool, fingerprint: String)
        /// Made with another key than the trusted one.
        case otherKey(signedBy: String, trusted: String)
        /// The manifest's bytes are not the ones that were signed (edited after signing).
        case manifestChanged(signedSHA256: String, foundSHA256: String)
        /// The signature does not match the manifest (the `.sig` was forged or damaged).
        case invalid

        public var isFailure: Bool {
            switch self {
            case .valid, .absent: false
            case .otherKey, .manifestChanged, .invalid: true
            }
        }
    }

    public struct Report: Sendable {
        /// Files checked (manifests listed by manifests included), relative to the top manifest.
        public var checked = 0
        public var problems: [Problem] = []
        public var signature = SignatureFinding.absent
    }

    /// Checks the manifest at `path`, its files and its signature; `trusted` is the key the
    /// signature must be made with (nil: the signature is checked only against its own key).
    /// - Throws: `ManifestError.badManifest` or `.badSignature` for files that are not usable
    ///   as such (an unusable manifest proves nothing, so it is not a finding).
    public static func run(_ path: String, trusting trusted: ManifestPublicKey?) throws -> Report {
        let bytes = try BoundedFile.read(path, limit: manifestLimit) { ManifestError.badManifest(path: path, reason: $0) }
        var report = Report()
        report.signature = try signature(of: path, bytes: bytes, trusted: trusted)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try checkFiles(listedIn: bytes, manifest: path, folder: folder, prefix: "", depth: 0, into: &report)
        return report
    }

    static func signature(of manifest: String, bytes: [UInt8], trusted: ManifestPublicKey?) throws -> SignatureFinding {
        let sigPath = ManifestSignature.path(for: manifest)
        guard FileManager.default.fileExists(atPath: sigPath) else { return .absent }
        let sig = try ManifestSignature(file: sigPath)
        let key = trusted ?? sig.publicKey
        guard sig.keyFingerprint == sig.publicKey.fingerprint else { return .invalid }
        if let trusted, sig.keyFingerprint != trusted.fingerprint || sig.publicKey != trusted {
            return .otherKey(signedBy: sig.keyFingerprint, trusted: trusted.fingerprint)
        }
        if key.isSignature(sig.signature, of: bytes) {
            return .valid(trusted: trusted != nil, fingerprint: key.fingerprint)
        }
        let found = FileDigest.sha256(of: bytes)
        return found != sig.manifestSHA256 ? .manifestChanged(signedSHA256: sig.manifestSHA256, foundSHA256: found) : .invalid
    }

    /// The manifest's files, each checked; manifests among them followed.
    static func checkFiles(listedIn bytes: [UInt8], manifest: String, folder: String, prefix: String, depth: Int,
                           into report: inout Report) throws {
        for entry in try entries(bytes, manifest: manifest) {
            let shown = prefix + entry.path
            let full = folder + "/" + entry.path
            report.checked += 1
            var status = stat()
            guard lstat(full, &status) == 0 else {
                report.problems.append(.missing(path: shown))
                continue
            }
            let found: FileDigest
            do { found = try FileDigest(path: full) } catch {
                report.problems.append(.unreadable(path: shown, reason: "\(error)"))
                continue
            }
            guard found == entry.digest else {
                report.problems.append(.altered(path: shown, expected: entry.digest, found: found))
                continue
            }
            if entry.path.hasSuffix(".manifest.json"), depth < depthLimit {
                let inner = try BoundedFile.read(full, limit: manifestLimit) { ManifestError.badManifest(path: shown, reason: $0) }
                let innerFolder = PathText.folder(of: entry.path)
                let innerPrefix = innerFolder.isEmpty ? prefix : prefix + innerFolder + "/"
                try checkFiles(listedIn: inner, manifest: shown, folder: PathText.folder(of: full),
                               prefix: innerPrefix, depth: depth + 1, into: &report)
            }
        }
    }

    struct Entry {
        var path: String
        var digest: FileDigest
    }

    /// The `files` of a manifest: each a relative path that stays in the manifest's folder, a
    /// size and a SHA-256.
    static func entries(_ bytes: [UInt8], manifest: String) throws -> [Entry] {
        let fail = { (reason: String) in ManifestError.badManifest(path: manifest, reason: reason) }
        let value: JSONValue
        do { value = try JSONValue(parsing: bytes) } catch { throw fail("not JSON: \(error)") }
        guard let files = value["files"]?.arrayValue else { throw fail("no \"files\" list") }
        return try files.enumerated().map { index, file in
            guard let path = file["path"]?.stringValue, let sha = file["sha256"]?.stringValue,
                  let size = file["bytes"]?.doubleValue, size >= 0, size <= 1e15, size == size.rounded() else {
                throw fail("file \(index + 1) lacks a path, a size in bytes or a sha256")
            }
            guard FileDigest.isSHA256(sha) else { throw fail("file \(index + 1): sha256 is not 64 lowercase hex digits") }
            guard isContained(path) else {
                throw fail("file \(index + 1): the path '\(path)' leaves the manifest's folder (absolute, empty or with ..)")
            }
            return Entry(path: path, digest: FileDigest(bytes: Int(size), sha256: sha))
        }
    }

    /// Whether a manifest path is relative and stays below the manifest's folder.
    static func isContained(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\0"), !path.contains("\\") else { return false }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
