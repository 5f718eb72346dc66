import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// The audit chain through the store's own functions: every write verifies clean, a store of
/// schema version 7 verifies clean once upgraded (its old entries chained, its rows listed),
/// and a change made around the store is found and named.
@Suite struct AuditChainTests {
    static func problems(_ store: SiteStore) throws -> (lines: [String], summary: AuditSummary) {
        var lines: [String] = []
        let summary = try store.verifyAudit { lines.append($0.line) }
        return (lines, summary)
    }

    /// Every store function that writes leaves one entry per call, and the store verifies
    /// clean after each.
    @Test func everyStoreWriteVerifiesClean() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("w.gpkg"))
        defer { try? store.close() }
        #expect(try store.auditHead() == nil)
        #expect(try Self.problems(store).summary.head == nil)
        var sites: [Site] = []
        for (k, lon) in [51.5, 48.7, 46.2].enumerated() {
            var site = try SiteFixtures.point(lon, 35 + Double(k), name: "Site \(k)")
            site.names = [SiteName(language: "fa", name: "گور \(k)")]
            sites.append(site)
        }
        var steps: [(String, () throws -> Void)] = []
        let source = Source(type: .document, title: "A report", sensitivity: .public)
        let event = SiteEvent(site: sites[0].id, type: .damaged, date: try PartialDate(parsing: "2017"), sources: [source.id])
        steps.append(("insert", { for s in sites { try store.insert(s, by: "Tester") } }))
        steps.append(("update", {
            var moved = sites[1]
            moved.geometry = .point(try Point(x: 48.71, y: 36.01))
            try store.update(moved)
        }))
        steps.append(("source", { try store.insert(source) }))
        steps.append(("event", { try store.insert(event) }))
        steps.append(("link", { try store.link(site: sites[2].id, source: source.id, note: "seen") }))
        steps.append(("update event", {
            var e = event
            e.description = "bulldozed"
            try store.update(e)
        }))
        steps.append(("update source", {
            var s = source
            s.reference = "p. 12"
            try store.update(s)
        }))
        steps.append(("batch", { try store.insertBatch([try SiteFixtures.point(45, 33, name: "Batch")], label: "b") }))
        steps.append(("grid", { try store.setGrid(GeneralisationGrid(cellSize: 0.2)) }))
        steps.append(("delete site", { try store.deleteSite(id: sites[0].id) }))
        steps.append(("delete source", { try store.deleteSource(id: source.id) }))
        for (name, step) in steps {
            try step()
            let (lines, summary) = try Self.problems(store)
            #expect(lines.isEmpty, "after \(name): \(lines)")
            #expect(summary.head == (try store.auditHead()), "after \(name)")
        }
        let history = try store.auditLog()
        #expect(history.first?.by == "Tester")
        #expect(history.map(\.seq) == Array(1...Int64(history.count)))
    }

    /// A version 7 store with rows and entries: upgraded, its old entries are chained first
    /// (marked as before the chain), one baseline entry lists its rows, and it verifies clean;
    /// an edit made afterwards around the store is named.
    @Test func anUpgradedStoreVerifiesCleanAndThenSeesEdits() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v7.gpkg")
        try SiteStore.writeSchema(path, upTo: "v7")
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            for (k, name) in ["Alpha", "Bravo"].enumerated() {
                try db.execute(sql: """
                    INSERT INTO sites (geom, uuid, name, site_type, status, condition, location_precision, sensitivity)
                    VALUES (?, ?, ?, 'mass_grave', 'reported', 'unknown', 'approximate', 'public')
                    """, arguments: [Data(GeoPackageBinary.encode(.point(try .init(x: 51 + Double(k), y: 35.6)))), "0000000\(k)-0000-4000-8000-000000000000", name])
                try db.execute(sql: "INSERT INTO audit_log (action, entity, entity_id) VALUES ('insert', 'site', ?)",
                               arguments: ["0000000\(k)-0000-4000-8000-000000000000"])
            }
            try db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES ('00000000-0000-4000-8000-000000000000', 'fa', 'الف', 'rtl')")
            try db.execute(sql: "INSERT INTO sources (uuid, source_type, title, sensitivity) VALUES ('10000000-0000-4000-8000-000000000000', 'document', 'R', 'public')")
            try db.execute(sql: """
                INSERT INTO site_sources (site_id, source_id) VALUES ('00000000-0000-4000-8000-000000000000', '10000000-0000-4000-8000-000000000000')
                """)
        }
        try queue.close()
        let store = try SiteStore(path: path)   // migrates
        let (lines, summary) = try Self.problems(store)
        #expect(lines.isEmpty, "\(lines)")
        #expect(summary.entries == 3 && summary.rows == 3)
        let log = try store.auditLog()
        #expect(log.map(\.action) == ["insert", "insert", "baseline"])
        #expect(try store.auditHead() == summary.head)
        var records: [AuditRecord] = []
        try store.auditHistory { records.append($0) }
        #expect(records.map(\.preChain) == [true, true, false])
        try store.close()

        // A link's note changed with plain SQL: the site it belongs to is named.
        let edit = try DatabaseQueue(path: path)
        try edit.write { db in try db.execute(sql: "UPDATE site_sources SET note = 'x'") }
        try edit.close()
        let reopened = try SiteStore(path: path, access: .readOnly)
        defer { try? reopened.close() }
        let after = try Self.problems(reopened).lines
        #expect(after == [#"site 00000000-0000-4000-8000-000000000000 "Alpha": changed outside GraveAtlas (last entry 3)"#])
    }
}
