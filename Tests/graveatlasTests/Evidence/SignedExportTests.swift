import Foundation
import TestSupport
import Testing

/// `graveatlas key new`, `export … --sign KEY` and `graveatlas verify` on the demo store, for
/// every export format: untouched exports verify (and `openssl` verifies the Ed25519 signature
/// by itself, `sha256sum` agrees with every listed hash); a byte changed, a file removed, a
/// manifest edited after signing and a signature made with another key are each named (exit 1);
/// a hostile manifest or signature is refused (exit 2), never a crash.
@Suite struct SignedExportTests {
    /// Each export: its arguments after `export`, given the output path, and the manifest it writes.
    struct Case: CustomStringConvertible, Sendable {
        var format: String
        var output: String
        var manifest: String
        /// A file of the export to tamper with, relative to the manifest's folder.
        var victim: @Sendable (_ folder: String) -> String
        var description: String { format + " " + output }
    }

    static let cases: [Case] = [
        Case(format: "geojson", output: "sites.geojson", manifest: "sites.geojson.manifest.json") { _ in "sites.geojson" },
        Case(format: "csv", output: "sites.csv", manifest: "sites.csv.manifest.json") { _ in "sites.csv" },
        Case(format: "kml", output: "sites.kml", manifest: "sites.kml.manifest.json") { _ in "sites.kml" },
        Case(format: "gpkg", output: "sites.gpkg", manifest: "sites.gpkg.manifest.json") { _ in "sites.gpkg" },
        Case(format: "tiles", output: "sites.pmtiles", manifest: "sites.pmtiles.manifest.json") { _ in "sites.pmtiles" },
        Case(format: "tiles", output: "tiles", manifest: "tiles.manifest.json") { folder in
            "tiles/" + (EvidenceFixture.files(under: folder + "/tiles").first { $0.hasSuffix(".mvt") } ?? "?")
        },
        // The map's manifest lists the tiles' manifest, so its signature covers every tile.
        Case(format: "map", output: "map", manifest: "map/manifest.json") { folder in
            "tiles/" + (EvidenceFixture.files(under: folder + "/tiles").first { $0.hasSuffix(".mvt") } ?? "?")
        },
    ]

    static func export(_ fixture: EvidenceFixture, _ c: Case, into out: String, key: String) throws -> String {
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        var arguments = ["export", c.format, fixture.store, "-o", out + "/" + c.output, "--sign", key]
        if c.format == "tiles" || c.format == "map" { arguments += ["--maxzoom", "5"] }
        if c.format == "map" { arguments += ["--web", try PackageRoot.url().appendingPathComponent("web").path] }
        let r = try GraveAtlasCommand.run(arguments)
        #expect(r.status == 0, "\(c): \(r.stderr)")
        return out + "/" + c.manifest
    }

    static func verify(_ manifest: String, key: String? = nil) throws -> CommandResult {
        try GraveAtlasCommand.run(["verify", manifest] + (key.map { ["--key", $0] } ?? []))
    }

    @Test func keyNewWritesTwoFilesAndNeverOverwrites() throws {
        let fixture = try EvidenceFixture()
        let key = fixture.folder.path("team.key")
        let made = try GraveAtlasCommand.run(["key", "new", "--out", key])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(try EvidenceFixture.mode(key) == 0o600 && EvidenceFixture.mode(key + ".pub") == 0o644)
        let lines = try String(contentsOfFile: key + ".pub", encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "graveatlas ed25519 public key" && lines.count == 2)
        let before = try Data(contentsOf: URL(fileURLWithPath: key))
        let again = try GraveAtlasCommand.run(["key", "new", "--out", key])
        #expect(again.status == 2 && again.stderr.contains("already there"), "\(again.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: key)) == before)
        // A public key given where the private one is needed is named, and nothing is exported.
        let wrong = try GraveAtlasCommand.run(["export", "geojson", fixture.store, "-o", fixture.folder.path("x.geojson"),
                                               "--sign", key + ".pub"])
        #expect(wrong.status == 2 && wrong.stderr.contains("public key"), "\(wrong.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.folder.path("x.geojson")))

        // Bare relative names, as typed in the folder: a one-letter key, the store, the export.
        let binary = GraveAtlasCommand.binary.path
        let bare = try runProgram(binary, ["key", "new", "--out", "k"], in: fixture.folder.url)
        #expect(bare.status == 0 && FileManager.default.fileExists(atPath: fixture.folder.path("k.pub")), "\(bare.stderr)")
        let exported = try runProgram(binary, ["export", "csv", "demo.gpkg", "-o", "s.csv", "--sign", "k"], in: fixture.folder.url)
        #expect(exported.status == 0, "\(exported.stderr)")
        let checked = try runProgram(binary, ["verify", "s.csv.manifest.json", "--key", "k.pub"], in: fixture.folder.url)
        #expect(checked.status == 0, "\(checked.stdout)\(checked.stderr)")
        let evidence = try fixture.folder.write("e.txt", "a witness statement\n")
        let added = try runProgram(binary, ["source", "add", "demo.gpkg", "--title", "Statement", "--file", "e.txt"], in: fixture.folder.url)
        #expect(added.status == 0 && added.stdout.contains("kept at demo.gpkg.evidence/sha256/"), "\(added.stdout)\(added.stderr)")
        #expect(try runProgram(binary, ["source", "verify", "demo.gpkg"], in: fixture.folder.url).status == 0)
        #expect(try EvidenceFixture.sha256sum(evidence) == fixture.sql("SELECT sha256 FROM sources WHERE title = 'Statement'"))
    }

    @Test(arguments: cases)
    func everyFormatSignsAndEachTamperingIsNamed(_ c: Case) throws {
        let fixture = try EvidenceFixture()
        let key = fixture.folder.path("team.key"), other = fixture.folder.path("other.key")
        #expect(try GraveAtlasCommand.run(["key", "new", "--out", key]).status == 0)
        #expect(try GraveAtlasCommand.run(["key", "new", "--out", other]).status == 0)
        let out = fixture.folder.path("out")
        let manifest = try Self.export(fixture, c, into: out, key: key)
        let folder = (manifest as NSString).deletingLastPathComponent
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest))) as? [String: Any] ?? [:]
        #expect(object["audience"] as? String == "public")
        // It names the audit chain's head, the one `audit verify` reports (the map's layer
        // manifest does; the map's own lists that manifest).
        let head = try fixture.sql("SELECT hash FROM audit_log ORDER BY seq DESC LIMIT 1")
        let checked = try GraveAtlasCommand.run(["audit", "verify", fixture.store])
        #expect(checked.status == 0 && checked.stdout.contains("head \(head)"), "\(checked.stdout)")
        let layerManifest = c.format == "map" ? folder + "/tiles.manifest.json" : manifest
        let layer = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: layerManifest))) as? [String: Any] ?? [:]
        #expect(head.count == 64 && layer["audit_head"] as? String == head, "\(layer["audit_head"] ?? "none") is not \(head)")
        for file in object["files"] as? [[String: Any]] ?? [] {
            let path = folder + "/" + (file["path"] as? String ?? "?")
            #expect(try EvidenceFixture.sha256sum(path) == file["sha256"] as? String, "sha256sum disagrees on \(path)")
        }

        // Untouched: no false alarm, with the key and without.
        let good = try Self.verify(manifest, key: key + ".pub")
        #expect(good.status == 0 && good.stdout.contains("signature: valid, made with the given key"), "\(good.stdout)\(good.stderr)")
        #expect(!good.stdout.contains("altered") && !good.stdout.contains("missing"))
        let keyless = try Self.verify(manifest)
        #expect(keyless.status == 0 && keyless.stdout.contains("not checked against a trusted key"), "\(keyless.stdout)")
        try Self.opensslAgrees(manifest: manifest, publicKey: key + ".pub", in: fixture.folder)

        // Another key.
        let wrongKey = try Self.verify(manifest, key: other + ".pub")
        #expect(wrongKey.status == 1 && wrongKey.stdout.contains("made with another key"), "\(wrongKey.stdout)")

        // One byte of an exported file changed.
        let victim = c.victim(folder)
        let saved = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + victim))
        try EvidenceFixture.changeOneByte(folder + "/" + victim)
        let changed = try Self.verify(manifest, key: key + ".pub")
        #expect(changed.status == 1 && changed.stdout.contains("altered: \(victim):"), "\(changed.stdout)")
        #expect(changed.stdout.contains("signature: valid"), "the manifest itself is untouched")

        // That file removed.
        try FileManager.default.removeItem(atPath: folder + "/" + victim)
        let removed = try Self.verify(manifest, key: key + ".pub")
        #expect(removed.status == 1 && removed.stdout.contains("missing: \(victim)\n"), "\(removed.stdout)")
        try saved.write(to: URL(fileURLWithPath: folder + "/" + victim))
        #expect(try Self.verify(manifest, key: key + ".pub").status == 0, "restored, it verifies again")

        // The manifest edited after signing (its audience claimed wider): with the key and without.
        let text = try String(contentsOfFile: manifest, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "\"public\"", with: "\"partner\"").utf8).write(to: URL(fileURLWithPath: manifest))
        for k in [key + ".pub", nil] {
            let edited = try Self.verify(manifest, key: k)
            #expect(edited.status == 1 && edited.stdout.contains("the manifest was changed after it was signed"), "\(edited.stdout)")
        }
    }

    /// `openssl pkeyutl -verify -rawin` (Ed25519) checks graveatlas's signature of the manifest's
    /// bytes with the public key from `KEY.pub`, wrapped as a SubjectPublicKeyInfo.
    static func opensslAgrees(manifest: String, publicKey: String, in folder: TestFolder) throws {
        let lines = try String(contentsOfFile: publicKey, encoding: .utf8).split(separator: "\n")
        let raw = try #require(Data(base64Encoded: String(lines[1])))
        let spki = Data([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00]) + raw
        let pem = "-----BEGIN PUBLIC KEY-----\n" + spki.base64EncodedString() + "\n-----END PUBLIC KEY-----\n"
        let pemPath = try folder.write("openssl-pub.pem", pem)
        let sig = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: manifest + ".sig"))) as? [String: Any]
        let signature = try #require(Data(base64Encoded: sig?["signature"] as? String ?? ""))
        let sigPath = folder.path("manifest.sig.bin")
        try signature.write(to: URL(fileURLWithPath: sigPath))
        let r = try runProgram("/usr/bin/openssl", ["pkeyutl", "-verify", "-pubin", "-inkey", pemPath, "-rawin",
                                                    "-in", manifest, "-sigfile", sigPath])
        #expect(r.status == 0 && r.stdout.contains("Signature Verified Successfully"), "openssl: \(r.stdout)\(r.stderr)")
    }

    @Test func hostileManifestsAndSignaturesAreRefusedNotObeyed() throws {
        let folder = try TestFolder()
        for path in ["../etc/passwd", "/etc/passwd", "a/../../b", "", "./x"] {
            let manifest = try folder.write("m.manifest.json", #"{"files":[{"path":"\#(path)","bytes":1,"sha256":"\#(String(repeating: "0", count: 64))"}]}"#)
            let r = try Self.verify(manifest)
            #expect(r.status == 2 && r.stderr.contains("leaves the manifest's folder"), "\(path): \(r.stderr)")
        }
        for text in ["", "[]", "{\"files\":7}", "{\"files\":[{\"path\":\"a\"}]}", String(repeating: "[", count: 100_000)] {
            let r = try Self.verify(try folder.write("bad.manifest.json", text))
            #expect(r.status == 2 && r.stderr.contains("bad.manifest.json"), "\(text.prefix(20)): \(r.stderr)")
        }
        let manifest = try folder.write("ok.manifest.json", #"{"files":[]}"#)
        for text in ["", "{}", #"{"algorithm":"ed25519","public_key":"AA==","public_key_sha256":"x","manifest_sha256":"y","signature":"AA=="}"#,
                     String(repeating: "x", count: 100_000)] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: manifest + ".sig"))
            let r = try Self.verify(manifest)
            #expect(r.status == 2 && r.stderr.contains(".sig"), "\(text.prefix(20)): \(r.stderr)")
        }
        let key = try folder.write("bad.pub", "graveatlas ed25519 public key\nAAAA\n")
        try FileManager.default.removeItem(atPath: manifest + ".sig")
        let badKey = try Self.verify(manifest, key: key)
        #expect(badKey.status == 2 && badKey.stderr.contains("bad.pub"), "\(badKey.stderr)")
    }
}
