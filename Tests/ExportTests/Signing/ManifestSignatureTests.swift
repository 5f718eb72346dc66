import Foundation
import Store
import Testing
@testable import Export

/// The manifest's signing parts as units: the audit head written only when set, a signature
/// checked against the right key and refused for another, the paths a manifest may name.
@Suite struct ManifestSignatureTests {
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "ga-sign-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aSignedManifestChecksWithItsKeyOnlyAndCarriesTheAuditHeadWhenSet() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("{\"type\":\"FeatureCollection\",\"features\":[]}\n".utf8).write(to: URL(fileURLWithPath: dir + "/a.geojson"))
        var manifest = try ExportManifest(format: "geojson", audience: .partner, cellSize: 0.1, filters: [], counts: [:],
                                          store: [:], files: [dir + "/a.geojson"])
        try manifest.write(to: dir + "/a.geojson.manifest.json")
        #expect(!(try String(contentsOfFile: dir + "/a.geojson.manifest.json", encoding: .utf8)).contains("audit_head"))
        manifest.auditHead = String(repeating: "ab", count: 32)
        try manifest.write(to: dir + "/a.geojson.manifest.json")
        let text = try String(contentsOfFile: dir + "/a.geojson.manifest.json", encoding: .utf8)
        #expect(text.contains("\"audit_head\" : \"\(String(repeating: "ab", count: 32))\"") && text.contains("\"audience\" : \"partner\""))
        #expect(text.contains("\"path\" : \"a.geojson\""), "paths are relative to the manifest")

        let key = ManifestSigningKey(), other = ManifestSigningKey()
        try ManifestSignature.sign(dir + "/a.geojson.manifest.json", with: key)
        let good = try ManifestCheck.run(dir + "/a.geojson.manifest.json", trusting: key.publicKey)
        #expect(good.problems.isEmpty && good.checked == 1)
        #expect(good.signature == .valid(trusted: true, fingerprint: key.publicKey.fingerprint))
        let wrong = try ManifestCheck.run(dir + "/a.geojson.manifest.json", trusting: other.publicKey)
        #expect(wrong.signature == .otherKey(signedBy: key.publicKey.fingerprint, trusted: other.publicKey.fingerprint))
        #expect(key.publicKey.fingerprint == FileDigest.sha256(of: key.publicKey.raw))
    }

    @Test func onlyPathsInsideTheManifestsFolderAreAccepted() {
        for good in ["a.geojson", "tiles/3/4/2.mvt", "web/vendor/maplibre-gl.js", "..a", "a..b/c"] {
            #expect(ManifestCheck.isContained(good), "\(good)")
        }
        for bad in ["", "/etc/passwd", "../a", "a/../../b", "a/..", "./a", "a//b", "a/", "a\\..\\b", "a\u{0}b"] {
            #expect(!ManifestCheck.isContained(bad), "\(bad)")
        }
    }

    @Test func fileDigestAgreesWithAKnownVector() throws {
        // FIPS 180-2's "abc".
        #expect(FileDigest.sha256(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(FileDigest.isSHA256(String(repeating: "a", count: 64)) && !FileDigest.isSHA256(String(repeating: "A", count: 64)))
    }
}
