import Foundation
import TestSupport
import Testing
@testable import Store

/// A store the previous schema version (7) wrote, with sites, names, an event, a source and
/// entries, upgraded by `graveatlas upgrade`: it verifies clean, its old entries show in the
/// log as written before the chain, and a later import keeps it clean.
@Suite struct AuditUpgradeCommandTests {
    @Test func anUpgradedStoreVerifiesClean() throws {
        let folder = try TestFolder()
        let store = folder.path("v7.gpkg")
        try SiteStore.writeSchema(store, upTo: "v7")
        try AuditStoreFixture.sqlite3(store, [
            """
            INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
            VALUES (AsGPB(MakePoint(51.389, 35.689, 4326)), 'A0000000-0000-4000-8000-000000000001', 'Old site', 'mass_grave',
                    'reported', 'damaged', 'locality', 'public')
            """,
            "INSERT INTO site_names (site_id, lang, name, direction) VALUES ('A0000000-0000-4000-8000-000000000001', 'fa', 'گور', 'rtl')",
            "INSERT INTO sources (uuid, source_type, title, sensitivity) VALUES ('B0000000-0000-4000-8000-000000000001', 'document', 'Old report', 'public')",
            """
            INSERT INTO site_events (uuid, site_id, event_type, date_text, date_iso) VALUES
              ('C0000000-0000-4000-8000-000000000001', 'A0000000-0000-4000-8000-000000000001', 'damaged', '2010', '2010')
            """,
            """
            INSERT INTO site_sources (site_id, source_id, event_id) VALUES ('A0000000-0000-4000-8000-000000000001',
              'B0000000-0000-4000-8000-000000000001', 'C0000000-0000-4000-8000-000000000001')
            """,
            "INSERT INTO audit_log (action, entity, entity_id, detail) VALUES ('insert', 'site', 'A0000000-0000-4000-8000-000000000001', '{}')",
            "INSERT INTO audit_log (action, entity, entity_id) VALUES ('insert', 'event', 'C0000000-0000-4000-8000-000000000001')",
        ], spatialite: true)
        // Read-only commands refuse the old store rather than write to it.
        #expect(try AuditStoreFixture.verify(store).status != 0)
        let upgrade = try GraveAtlasCommand.run(["upgrade", store])
        #expect(upgrade.status == 0, "\(upgrade.stderr)")
        let verify = try AuditStoreFixture.verify(store)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("3 entries checked, 3 rows checked, head "), "\(verify.stdout)")
        let log = try GraveAtlasCommand.run(["audit", "log", store])
        #expect(log.stdout.contains("(before chain)") && log.stdout.contains("baseline"), "\(log.stdout)")
        // The old site's history: its old entries (the site's, its event's), then the baseline listing both.
        let site = try GraveAtlasCommand.run(["site", "show", store, "A0000000-0000-4000-8000-000000000001", "--format", "json"])
        let shown = try JSONSerialization.jsonObject(with: Data(site.stdout.utf8)) as? [String: Any]
        #expect((shown?["history"] as? [[String: Any]])?.map { $0["action"] as? String } == ["insert", "insert", "baseline", "baseline"],
                "\(site.stdout)")
        // An import into the upgraded store keeps it clean.
        let imported = try GraveAtlasCommand.run([
            "import", store, try AuditStoreFixture.geodata("iran-1988-damaged-sites.geojson"),
            "--mapping", try AuditStoreFixture.geodata("iran-1988-damaged-sites.mapping.yaml"),
        ])
        #expect(imported.status == 0, "\(imported.stderr)")
        let again = try AuditStoreFixture.verify(store)
        #expect(again.status == 0, "\(again.stdout)")
    }
}
