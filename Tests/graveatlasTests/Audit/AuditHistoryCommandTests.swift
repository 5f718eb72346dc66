import Foundation
import TestSupport
import Testing

/// The history as people read it: `audit log` (table, csv, json; per site; since a date),
/// `site show`, and `audit accept` recording an edit made in another tool once looked at.
@Suite struct AuditHistoryCommandTests {
    typealias F = AuditStoreFixture

    /// Each write through GraveAtlas is one entry, naming who made it (`--by`, else the user).
    @Test func theLogListsEachWriteWithWhoMadeIt() throws {
        let fixture = try AuditStoreFixture()
        let run = try GraveAtlasCommand.run(["audit", "log", fixture.store, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        // init records the grid; then the three imports and the coarser grid.
        #expect(entries.map { $0["action"] as? String } == ["setting", "import", "import", "import", "setting"])
        #expect(entries.map { $0["seq"] as? Int } == [1, 2, 3, 4, 5])
        let user = ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"]
        #expect(entries[1]["by"] as? String == "Researcher A" && entries[3]["by"] as? String == "Researcher B")
        #expect(entries[4]["by"] as? String == "Analyst C")
        if let user { #expect(entries[2]["by"] as? String == user && entries[0]["by"] as? String == user) }
        // csv: a header and one row per entry.
        let csv = try GraveAtlasCommand.run(["audit", "log", fixture.store, "--format", "csv"])
        #expect(csv.stdout.hasPrefix("seq,at,by,action,entity,entity_id,detail,before,after,pre_chain,hash\r\n"))
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == 6, "\(csv.stdout)")
        // Nothing before 1970; everything since.
        let none = try GraveAtlasCommand.run(["audit", "log", fixture.store, "--since", "2999-01-01", "--format", "json"])
        #expect(try (JSONSerialization.jsonObject(with: Data(none.stdout.utf8)) as? [Any])?.isEmpty == true)
        let bad = try GraveAtlasCommand.run(["audit", "log", fixture.store, "--since", "yesterday"])
        #expect(bad.status == 2 && bad.stderr.contains("--since yesterday"))
    }

    /// A site's history: the import that added it, the re-import that renamed it with its
    /// content before and after; `site show` gives the site, its names, events, sources, history.
    @Test func aSitesHistoryHoldsItsContentBeforeAndAfter() throws {
        let fixture = try AuditStoreFixture()
        let uuid = try F.value(fixture.store, "SELECT uuid FROM sites WHERE name = 'Khavaran cemetery, Tehran'")
        let log = try GraveAtlasCommand.run(["audit", "log", fixture.store, "--site", uuid, "--format", "json"])
        #expect(log.status == 0, "\(log.stderr)")
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as? [[String: Any]])
        // Added (with its event), renamed.
        #expect(entries.map { $0["seq"] as? Int }.contains(2) && entries.map { $0["seq"] as? Int }.contains(4), "\(entries)")
        let rename = try #require(entries.first { $0["seq"] as? Int == 4 && $0["entity"] as? String == "site" })
        #expect(rename["action"] as? String == "update")
        #expect((rename["before"] as? [String: Any])?["name"] as? String == "Khavaran, Tehran")
        #expect((rename["after"] as? [String: Any])?["name"] as? String == "Khavaran cemetery, Tehran")
        #expect(((rename["detail"] as? [String: Any])?["changes"] as? [[String: Any]])?.contains { $0["field"] as? String == "name" } == true)

        let show = try GraveAtlasCommand.run(["site", "show", fixture.store, uuid, "--format", "json"])
        #expect(show.status == 0, "\(show.stderr)")
        let shown = try #require(try JSONSerialization.jsonObject(with: Data(show.stdout.utf8)) as? [String: Any])
        #expect((shown["site"] as? [String: Any])?["name"] as? String == "Khavaran cemetery, Tehran")
        #expect((shown["names"] as? [[String: Any]])?.contains { $0["lang"] as? String == "fa" && $0["name"] as? String == "خاوران، تهران" } == true)
        #expect((shown["events"] as? [[String: Any]])?.first?["type"] as? String == "damaged")
        #expect((shown["sources"] as? [[String: Any]])?.count == 1)
        let history = (shown["history"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
        #expect(history == history.sorted() && history.first == 2, "\(history)")
        let table = try GraveAtlasCommand.run(["site", "show", fixture.store, uuid])
        #expect(table.status == 0 && table.stdout.contains("Khavaran cemetery, Tehran") && table.stdout.contains("\nhistory\n"))
        let unknown = try GraveAtlasCommand.run(["site", "show", fixture.store, UUID().uuidString])
        #expect(unknown.status == 2 && unknown.stderr.contains("no site has the id"))
    }

    /// An edit made in another tool is reported until someone accepts it; the accept entry
    /// names them, and the store verifies clean again (and stays clean after another import).
    @Test func anAcceptedEditVerifiesClean() throws {
        let fixture = try AuditStoreFixture()
        let store = fixture.store
        let uuid = try F.value(store, "SELECT uuid FROM sites ORDER BY fid LIMIT 1 OFFSET 2")
        let run = try runProgram("/usr/bin/ogrinfo", [store, "-sql", "UPDATE sites SET status = 'corroborated' WHERE uuid = '\(uuid)'"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try F.verify(store).status == 1)
        let other = try F.value(store, "SELECT uuid FROM sites ORDER BY fid LIMIT 1")
        let wrongSite = try GraveAtlasCommand.run(["audit", "accept", store, "--by", "Reviewer D", "--site", other])
        #expect(wrongSite.status == 0 && wrongSite.stdout == "nothing to accept\n", "\(wrongSite.stdout)")
        let accept = try GraveAtlasCommand.run(["audit", "accept", store, "--by", "Reviewer D", "--site", uuid])
        #expect(accept.status == 0 && accept.stdout == "accepted 1 row by Reviewer D\n", "\(accept.stdout)\(accept.stderr)")
        let clean = try F.verify(store)
        #expect(clean.status == 0, "\(clean.stdout)")
        let last = try GraveAtlasCommand.run(["audit", "log", store, "--site", uuid, "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(last.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.last?["action"] as? String == "accept" && entries.last?["by"] as? String == "Reviewer D")
        #expect((entries.last?["after"] as? [String: Any])?["status"] as? String == "corroborated")
        // An import after it: still clean.
        let again = try GraveAtlasCommand.run(["import", store, try F.geodata("iran-1988-damaged-sites.geojson"),
                                               "--mapping", try F.geodata("iran-1988-damaged-sites.mapping.yaml")])
        #expect(again.status == 0, "\(again.stderr)")
        let after = try F.verify(store)
        #expect(after.status == 0, "\(after.stdout)")
        #expect(try GraveAtlasCommand.run(["audit", "accept", store, "--by", "Reviewer D"]).stdout == "nothing to accept\n")
    }
}
