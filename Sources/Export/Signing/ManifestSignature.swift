import Foundation
import Geometry
import Store

/// A detached Ed25519 signature of a manifest file's exact bytes, kept beside it as
/// `OUT.manifest.json.sig` (so no JSON canonicalisation is needed: the bytes signed are the
/// bytes on disk).
///
/// ```json
/// {"algorithm":"ed25519",
///  "public_key":"<base64 of the 32-byte public key>",
///  "public_key_sha256":"<SHA-256 of those 32 bytes, hex: the key's fingerprint>",
///  "manifest_sha256":"<SHA-256 of the manifest's bytes, hex>",
///  "signature":"<base64 of the 64-byte signature>"}
/// ```
/// ```swift
/// try ManifestSignature.sign("out/sites.geojson.manifest.json", with: key)   // writes ….sig
/// let sig = try ManifestSignature(file: "out/sites.geojson.manifest.json.sig")
/// ```
/// `manifest_sha256` only lets `verify` say that the manifest was edited after signing rather
/// than that the signature is wrong; the signature alone proves anything. A `.sig` is hostile
/// input: over 16 KiB, not JSON, or with fields of the wrong kind or length, it is refused
/// with `ManifestError.badSignature`.
public struct ManifestSignature: Hashable, Sendable {
    public static let algorithm = "ed25519"
    static let limit = 16 << 10

    public var publicKey: ManifestPublicKey
    public var keyFingerprint: String
    public var manifestSHA256: String
    public var signature: [UInt8]

    /// The signature path for a manifest.
    public static func path(for manifest: String) -> String { manifest + ".sig" }

    /// Signs the manifest file's bytes as they are on disk and writes its `.sig` atomically.
    /// - Returns: the signature's path.
    @discardableResult
    public static func sign(_ manifest: String, with key: ManifestSigningKey) throws -> String {
        let bytes = try BoundedFile.read(manifest, limit: ManifestCheck.manifestLimit) {
            ManifestError.badManifest(path: manifest, reason: $0)
        }
        let signature = ManifestSignature(publicKey: key.publicKey, keyFingerprint: key.publicKey.fingerprint,
                                          manifestSHA256: FileDigest.sha256(of: bytes), signature: try key.sign(bytes))
        let sigPath = path(for: manifest)
        try FileSystem.replace(signature.text, at: sigPath)
        return sigPath
    }

    /// The file's text: one JSON object and a newline.
    public var text: [UInt8] {
        let object: JSONValue = [
            "algorithm": .string(Self.algorithm),
            "public_key": .string(Data(publicKey.raw).base64EncodedString()),
            "public_key_sha256": .string(keyFingerprint),
            "manifest_sha256": .string(manifestSHA256),
            "signature": .string(Data(signature).base64EncodedString()),
        ]
        return object.encodedBytes() + [UInt8(ascii: "\n")]
    }

    init(publicKey: ManifestPublicKey, keyFingerprint: String, manifestSHA256: String, signature: [UInt8]) {
        self.publicKey = publicKey
        self.keyFingerprint = keyFingerprint
        self.manifestSHA256 = manifestSHA256
        self.signature = signature
    }

    /// Reads a `.sig` file.
    public init(file path: String) throws {
        let bytes = try BoundedFile.read(path, limit: Self.limit) { ManifestError.badSignature(path: path, reason: $0) }
        let fail = { (reason: String) in ManifestError.badSignature(path: path, reason: reason) }
        guard let value = try? JSONValue(parsing: bytes), value.objectValue != nil else { throw fail("not a JSON object") }
        guard value["algorithm"]?.stringValue == Self.algorithm else { throw fail("the algorithm is not ed25519") }
        guard let key = value["public_key"]?.stringValue.flatMap({ Data(base64Encoded: $0) }) else {
            throw fail("no public_key in base64")
        }
        guard let fingerprint = value["public_key_sha256"]?.stringValue, FileDigest.isSHA256(fingerprint),
              let manifest = value["manifest_sha256"]?.stringValue, FileDigest.isSHA256(manifest) else {
            throw fail("public_key_sha256 and manifest_sha256 must be 64 lowercase hex digits")
        }
        guard let signature = value["signature"]?.stringValue.flatMap({ Data(base64Encoded: $0) }), signature.count == 64 else {
            throw fail("the signature is not 64 bytes in base64")
        }
        do { publicKey = try ManifestPublicKey(raw: Array(key), origin: path) } catch {
            throw fail("public_key is not a 32-byte Ed25519 public key")
        }
        keyFingerprint = fingerprint
        manifestSHA256 = manifest
        self.signature = Array(signature)
    }
}
