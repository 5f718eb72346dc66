import Foundation
import Testing

/// `graveatlas source add|verify` as a user runs them on the demo store: the evidence file's
/// hash as `sha256sum` gives it, the read-only content-addressed copy kept once, the links, and
/// tampering (one byte changed, one file removed) named by `source verify`; evidence never in
/// an export.
@Suite struct SourceEvidenceTests {
    /// Some bytes that stand for a report: not text, so a byte flip is a real change.
    static func evidence(_ fixture: EvidenceFixture, _ name: String, seed: UInt8) throws -> String {
        let path = fixture.folder.path(name)
        try Data((0..<5000).map { UInt8(truncatingIfNeeded: $0 &* 31) ^ seed }).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func addKeepsTheFileOnceUnderItsHashAndLinksTheSites() throws {
        let fixture = try EvidenceFixture()
        let sites = try fixture.siteIDs()
        let report = try Self.evidence(fixture, "amnesty-report.pdf", seed: 7)
        let expected = try EvidenceFixture.sha256sum(report)
        let added = try GraveAtlasCommand.run([
            "source", "add", fixture.store, "--title", "Criminal cover-up (report)", "--url", "https://example.org/report",
            "--date", "2018-12", "--file", report, "--site", sites[0].lowercased(), "--site", sites[1],
        ])
        #expect(added.status == 0, "\(added.stderr)")
        #expect(added.stdout.contains("SHA-256 \(expected)") && added.stdout.contains("linked to 2 sites"))
        let name = String(expected.prefix(2)) + "/" + String(expected.dropFirst(2))
        let kept = fixture.store + ".evidence/sha256/" + name
        #expect(try EvidenceFixture.sha256sum(kept) == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)) == Data(contentsOf: URL(fileURLWithPath: report)))
        #expect(try EvidenceFixture.mode(kept) == 0o444)
        #expect(try EvidenceFixture.mode(fixture.store + ".evidence/sha256/" + String(expected.prefix(2))) == 0o755)

        // The demo's import recorded sources of its own (without evidence files).
        let row = try fixture.sql("SELECT sha256, reference, date_iso, sensitivity, source_type, attributes FROM sources WHERE sha256 IS NOT NULL")
        let source = try fixture.sql("SELECT uuid FROM sources WHERE sha256 IS NOT NULL")
        #expect(row == "\(expected)|https://example.org/report|2018-12|restricted|document|"
            + #"{"evidence":{"bytes":5000,"file_name":"amnesty-report.pdf","media_type":"application/pdf"}}"#)
        #expect(try fixture.sql("SELECT count(*) FROM site_sources WHERE source_id = '\(source)'") == "2")
        // One audit entry, listing the source and the two sites its links changed; the chain verifies.
        #expect(try fixture.sql("SELECT count(*) FROM audit_log WHERE entity_id = '\(source)'") == "1")
        #expect(try fixture.sql("""
            SELECT group_concat(entity || ':' || coalesce(action, ''), ' ') FROM (SELECT entity, action FROM audit_items
            WHERE seq = (SELECT seq FROM audit_log WHERE entity_id = '\(source)') ORDER BY entity, action)
            """) == "site:update site:update source:insert")
        let audited = try GraveAtlasCommand.run(["audit", "verify", fixture.store])
        #expect(audited.status == 0, "\(audited.stdout)\(audited.stderr)")

        // The same file again, under another name, for another source: kept once.
        let copy = fixture.folder.path("copy.bin")
        try FileManager.default.copyItem(atPath: report, toPath: copy)
        let again = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "Same report, mirrored", "--file", copy])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(EvidenceFixture.files(under: fixture.store + ".evidence/sha256") == [name])
        let verified = try GraveAtlasCommand.run(["source", "verify", fixture.store])
        #expect(verified.status == 0 && verified.stdout == "2 evidence files checked, 2 intact\n", "\(verified.stdout)\(verified.stderr)")
    }

    @Test func anUnknownSiteOrAnUnreadableFileWritesNothing() throws {
        let fixture = try EvidenceFixture()
        let sourcesBefore = try fixture.sql("SELECT count(*) FROM sources")
        let report = try Self.evidence(fixture, "r.bin", seed: 1)
        let unknown = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "T", "--file", report,
                                                 "--site", "00000000-0000-4000-8000-000000000001"])
        #expect(unknown.status == 2 && unknown.stderr.contains("00000000-0000-4000-8000-000000000001"), "\(unknown.stderr)")
        let missing = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "T", "--file", fixture.folder.path("none.pdf")])
        #expect(missing.status == 2 && missing.stderr.contains("none.pdf"), "\(missing.stderr)")
        let notAUUID = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "T", "--site", "khavaran"])
        #expect(notAUUID.status == 2)
        let badDate = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "T", "--date", "2018-13"])
        #expect(badDate.status == 2 && badDate.stderr.contains("2018-13"))
        #expect(try fixture.sql("SELECT count(*) FROM sources") == sourcesBefore)
        #expect(EvidenceFixture.files(under: fixture.store + ".evidence/sha256").isEmpty)
    }

    @Test func verifyNamesTheFileWithOneByteChangedAndTheOneRemoved() throws {
        let fixture = try EvidenceFixture()
        let site = try fixture.siteIDs()[0]
        var kept: [String: String] = [:]
        for (title, seed) in [("Satellite image 2017", UInt8(3)), ("Witness statement", UInt8(5)), ("Press photo", UInt8(9))] {
            let file = try Self.evidence(fixture, "\(seed).bin", seed: seed)
            let r = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", title, "--file", file, "--site", site])
            #expect(r.status == 0, "\(r.stderr)")
            let hash = try EvidenceFixture.sha256sum(file)
            kept[title] = fixture.store + ".evidence/sha256/" + String(hash.prefix(2)) + "/" + String(hash.dropFirst(2))
        }
        let clean = try GraveAtlasCommand.run(["source", "verify", fixture.store])
        #expect(clean.status == 0 && clean.stdout == "3 evidence files checked, 3 intact\n", "no false alarm: \(clean.stdout)")

        try EvidenceFixture.changeOneByte(kept["Satellite image 2017"] ?? "")
        try FileManager.default.removeItem(atPath: kept["Witness statement"] ?? "")
        let tampered = try GraveAtlasCommand.run(["source", "verify", fixture.store])
        #expect(tampered.status == 1, "\(tampered.stdout)\(tampered.stderr)")
        let ids = try fixture.sql("SELECT uuid, title FROM sources").split(separator: "\n")
            .map { $0.split(separator: "|") }.reduce(into: [String: String]()) { $0[String($1[1])] = String($1[0]) }
        let lines = tampered.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("altered: source \(ids["Satellite image 2017"] ?? "?") \"Satellite image 2017\"") })
        #expect(lines.contains { $0.hasPrefix("missing: source \(ids["Witness statement"] ?? "?") \"Witness statement\"") })
        #expect(!tampered.stdout.contains("Press photo"), "the untouched file is not named")
        #expect(lines.last == "3 evidence files checked, 1 intact")
        #expect(tampered.stderr.contains("2 evidence files are missing or altered"))
    }

    @Test func evidenceNeverEntersAnExport() throws {
        let fixture = try EvidenceFixture()
        let site = try fixture.siteIDs()[0]
        let file = try Self.evidence(fixture, "secret-witness.bin", seed: 11)
        let hash = try EvidenceFixture.sha256sum(file)
        for sensitivity in ["public", "restricted"] {
            let r = try GraveAtlasCommand.run(["source", "add", fixture.store, "--title", "Evidence \(sensitivity)", "--file", file,
                                               "--site", site, "--sensitivity", sensitivity])
            #expect(r.status == 0, "\(r.stderr)")
        }
        for format in ["geojson", "csv", "kml", "gpkg"] {
            // Internal too: what the README promises holds for every audience.
            for audience in ["public", "internal"] {
                let out = fixture.folder.path("\(audience)-\(format)")
                try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
                let r = try GraveAtlasCommand.run(["export", format, fixture.store, "-o", out + "/sites.\(format)", "--audience", audience])
                #expect(r.status == 0, "\(r.stderr)")
                for name in EvidenceFixture.files(under: out) {
                    let bytes = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name))
                    #expect(bytes.range(of: Data(hash.utf8)) == nil, "\(format) \(audience): \(name) holds the evidence hash")
                    #expect(bytes.range(of: Data("secret-witness".utf8)) == nil, "\(format): \(name) names the evidence file")
                    #expect(bytes.range(of: try Data(contentsOf: URL(fileURLWithPath: file)).prefix(64)) == nil,
                            "\(format): \(name) holds the evidence's bytes")
                }
            }
        }
    }
}
