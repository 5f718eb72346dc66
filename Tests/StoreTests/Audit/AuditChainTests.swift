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
    /// The typed content hash sees what a text form could blur: a real's last bit, a text
    /// stored as a blob of the same bytes, an empty text or a zero for NULL, a trailing space,
    /// the last bit of the geometry's latitude. Each edit, made with plain SQL, is named;
    /// undone, the store verifies clean again.
    @Test func everyChangeOfABitOrAStorageClassIsNamed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("t.gpkg")
        let store = try SiteStore.create(at: path)
        var site = try SiteFixtures.point(51.4, 35.6, name: "Alpha")
        site.uncertaintyM = 12.5
        site.description = "a field"
        try store.insert(site)
        try store.close()
        let id = site.id.uuidString
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        let geom = try #require(try queue.read { db in try Data.fetchOne(db, sql: "SELECT geom FROM sites") })
        var nudged = geom
        nudged[nudged.count - 8] ^= 1   // the lowest bit of the latitude (little-endian)
        let edits: [(String, String, [DatabaseValueConvertible?], [DatabaseValueConvertible?])] = [
            ("uncertainty_m = 12.500000000000002", "uncertainty_m = 12.5", [], []),
            ("name = CAST('Alpha' AS BLOB)", "name = 'Alpha'", [], []),
            ("period = ''", "period = NULL", [], []),
            ("victims_min = 0", "victims_min = NULL", [], []),
            ("description = 'a field '", "description = 'a field'", [], []),
            ("geom = ?", "geom = ?", [nudged], [geom]),
        ]
        try queue.close()
        for (edit, undo, editArguments, undoArguments) in edits {
            let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
            try queue.write { db in try db.execute(sql: "UPDATE sites SET \(edit)", arguments: StatementArguments(editArguments)) }
            try queue.close()
            let edited = try SiteStore(path: path, access: .readOnly)
            let lines = try Self.problems(edited).lines
            #expect(lines.count == 1 && lines.allSatisfy { $0.hasPrefix("site \(id)") && $0.hasSuffix("changed outside GraveAtlas (last entry 1)") },
                    "\(edit): \(lines)")
            try edited.close()
            let back = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
            try back.write { db in try db.execute(sql: "UPDATE sites SET \(undo)", arguments: StatementArguments(undoArguments)) }
            try back.close()
            let undone = try SiteStore(path: path, access: .readOnly)
            #expect(try Self.problems(undone).lines.isEmpty, "undoing \(edit)")
            try undone.close()
        }
    }

    /// A batch of new sites larger than several hashing chunks (`HashPipeline`) is listed
    /// in the order of the listing's index (ids ascending as SQLite compares text), each
    /// with the hash a single row's read gives, and verifies clean; a list member's hashed
    /// expression (which skips the sort for a site with none) gives the same text as the
    /// one shown.
    @Test func aLargeBatchIsListedInIndexOrderWithEachRowsOwnHash() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("b.gpkg"))
        defer { try? store.close() }
        let first = try SiteFixtures.point(51.5, 35.7, name: "Before")
        try store.insert(first)
        let source = Source(type: .document, title: "Testimony", sensitivity: .public)
        try store.insert(source)
        try store.link(site: first.id, source: source.id, note: "seen")
        let count = 2 * HashPipeline.rowsPerChunk + 552
        var sites: [Site] = []
        for k in 0..<count {
            var site = try SiteFixtures.point(44 + Double(k % 190) / 10, 25 + Double(k / 190) / 10, name: "Fosa \(k)")
            if k % 7 == 0 { site.names = [SiteName(language: "fa", name: "گور \(k)"), SiteName(language: "en", name: "Grave \(k)")] }
            if k % 3 == 0 { site.uncertaintyM = Double(k) / 3 }
            if k % 5 == 0 { site.description = String(repeating: "d", count: k % 700) }
            sites.append(site)
        }
        try store.insertBatch(sites, label: "many")
        #expect(try Self.problems(store).lines.isEmpty)

        try store.read { db in
            let seq = try #require(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_items"))
            let listed = try Row.fetchAll(db, sql: "SELECT entity_id, after_hash FROM audit_items WHERE seq = ? ORDER BY id", arguments: [seq])
            #expect(listed.count == count)
            let ids: [String] = listed.map { $0[0] }
            #expect(ids == ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "listed in index order")
            #expect(Set(ids) == Set(sites.map(\.id.uuidString)))
            let hasher = ContentHash(.site)
            let select = try RawStatement(db, "SELECT t.uuid, \(AuditedKind.site.memberColumns) FROM sites t WHERE t.uuid = ?")
            for row in listed {
                let id: String = row[0]
                select.bind(1, id)
                #expect(try select.step())
                let own = hasher.hash(select, from: 1)
                select.reset()
                #expect(own == (row[1] as Data), "site \(id)")
            }
            for member in AuditedKind.allCases.flatMap(\.members) where !member.isColumn {
                let table = member.sql.contains("event_id = t.uuid") ? "site_events" : "sites"
                let differ = try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) t WHERE (\(member.sql)) IS NOT (\(member.hashSQL))") ?? -1
                #expect(differ == 0, "\(member.key) of \(table)")
            }
            let withNames = try Int.fetchOne(db, sql: "SELECT count(DISTINCT site_id) FROM site_names") ?? 0
            #expect(withNames >= count / 7, "names were stored, so both branches of the hashed expression ran")
        }
    }

    /// A store whose entries recorded rows by the SHA-256 of their JSON content (the hash's
    /// first form, written by schema version 8 before the typed hash) still verifies clean,
    /// still names an edit made around it, and an accept then records the row in the typed
    /// form.
    @Test func rowsRecordedInTheFirstFormStillVerify() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("f1.gpkg")
        let store = try SiteStore.create(at: path)
        let site = try SiteFixtures.point(46.3, 38.1, name: "Bravo")
        try store.insert(site)
        let id = site.id.uuidString
        // An entry as the first form wrote it: the row listed with the hash of its JSON text.
        try store.write { db in
            let json = try #require(try AuditChange.content(db, .site, id))
            let hash = AuditChain.contentHash(json)
            #expect(hash.count == 32)
            let seq = try AuditChain.nextSeq(db)
            try db.execute(sql: "INSERT INTO audit_items (seq, entity, entity_id, action, after_hash) VALUES (?, 'site', ?, 'accept', ?)",
                           arguments: [seq, id, hash])
            var digest = AuditChain.ItemDigest()
            digest.add(entity: "site", id: id, action: "accept", detail: nil, beforeHash: nil, afterHash: hash, before: nil, after: nil)
            try AuditChain.append(db, by: "Tester", action: "accept", entity: "store", entityID: nil, detail: nil, before: nil,
                                  after: nil, itemsDigest: digest.finish(), seq: seq)
        }
        #expect(try Self.problems(store).lines.isEmpty)
        try store.close()

        let edit = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try edit.write { db in try db.execute(sql: "UPDATE sites SET name = 'Charlie'") }
        try edit.close()
        let edited = try SiteStore(path: path)
        defer { try? edited.close() }
        #expect(try Self.problems(edited).lines == ["site \(id) \"Charlie\": changed outside GraveAtlas (last entry 2)"])
        #expect(try edited.acceptAudit(by: "Reviewer") == 1)
        #expect(try Self.problems(edited).lines.isEmpty)
        let recorded = try edited.read { db in
            try Data.fetchOne(db, sql: "SELECT after_hash FROM audit_items WHERE entity_id = ? ORDER BY seq DESC LIMIT 1", arguments: [id])
        }
        #expect(recorded?.count == 33 && recorded?.first == ContentHash.form)
    }
}
