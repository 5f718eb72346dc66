import Foundation
import GRDB
import Geometry
import Testing
@testable import Store

/// An import hashes its new sites as it writes them (`WrittenSites`), and each hash is the
/// one `audit verify` computes from the row as stored: over every kind of value, after the
/// columns' affinities, and for sites changed, deleted or inserted around the tracker, which
/// are read back instead.
@Suite struct WrittenSitesTests {
    /// The hash of the stored row with fid `fid` as a single-row read gives it, nil for none.
    static func storedHash(_ db: Database, fid: Int64) throws -> (id: String, hash: Data)? {
        let select = try RawStatement(db, "SELECT t.uuid, \(AuditedKind.site.memberColumns) FROM sites t WHERE t.fid = ?")
        select.bind(1, fid)
        guard try select.step() else { return nil }
        return (select.text(Int32(0)), ContentHash(.site).hash(select, from: 1))
    }

    /// Every listed hash of the import's entry equals the stored row's, and the store
    /// verifies clean but for one line naming each site of `editedAround` (changed by plain
    /// SQL); returns the listed ids.
    static func checkListing(_ store: SiteStore, editedAround: [String] = []) throws -> [String] {
        let problems = try AuditChainTests.problems(store).lines
        #expect(problems.count == editedAround.count, "\(problems)")
        for id in editedAround { #expect(problems.contains { $0.contains(id) }, "\(id) in \(problems)") }
        return try store.read { db in
            let seq = try #require(try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_items"))
            let listed = try Row.fetchAll(db, sql: """
                SELECT a.entity_id, a.after_hash, s.fid FROM audit_items a LEFT JOIN sites s ON s.uuid = a.entity_id
                WHERE a.seq = ? AND a.action = 'insert' ORDER BY a.id
                """, arguments: [seq])
            for row in listed {
                let fid = try #require(row[2] as Int64?, "listed site \(row[0] as String) is stored")
                let stored = try #require(try storedHash(db, fid: fid))
                #expect(stored.hash == (row[1] as Data), "site \(stored.id)")
            }
            return listed.map { $0[0] }
        }
    }

    /// A site with a different mix of values for each `k`: reals that are whole numbers,
    /// integers, long and non-Latin text, dates of both calendars, a key and attributes.
    static func site(_ k: Int, names: Bool = false) throws -> Site {
        var site = try SiteFixtures.point(44 + Double(k % 97) / 10, 25 + Double(k / 97) / 10, name: "گور \(k) — Fosa")
        switch k % 4 {
        case 0: site.uncertaintyM = 3
        case 1: site.uncertaintyM = Double(k) / 7
        case 2: site.victimsMin = k; site.victimsMax = k * 2; site.victimsIdentified = 0
        default: break
        }
        if k % 5 == 0 { site.description = String(repeating: "توضیح ", count: k % 300) }
        if k % 6 == 0 { site.date = try PartialDate(parsing: k % 12 == 0 ? "1367-05 SH" : "1988") }
        if k % 3 == 0 {
            site.dataset = "fosas"
            site.sourceKey = String(k)
            site.sourceAttributes = #"{"LOCALIDAD_":"Víznar \#(k)","N":\#(k)}"#
        }
        if k % 11 == 0 { site.period = "1988" }
        if names { site.names = [SiteName(language: "fa", name: "خاوران \(k)"), SiteName(language: "en", name: "Khavaran \(k)")] }
        return site
    }

    /// Over several hashing chunks, the hash of each site as written equals the hash of the
    /// row read back; sites given other names are the ones read back; the entry verifies.
    @Test func eachHashAsWrittenIsTheStoredRowsHash() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("w.gpkg"))
        defer { try? store.close() }
        try store.insert(try SiteFixtures.point(51.4, 35.6, name: "Before"))
        let count = 2 * HashPipeline.rowsPerChunk + 300
        var named: Set<Int> = []
        _ = try store.importBatch(label: "many") { batch in
            let after = batch.indexes.firstNewFid
            var ids: [String] = []
            for k in 0..<count {
                let withNames = k % 50 == 7
                if withNames { named.insert(k) }
                let site = try Self.site(k, names: withNames)
                let origin = k % 2 == 0 ? SiteOrigin(file: "fosas \(k % 3).shp", layer: "fosas", record: k) : nil
                ids.append(try batch.write(site, origin: origin).id.uuidString)
            }
            let written = try #require(batch.change.written)
            let taken = try #require(try written.take(batch.db), "every new site was tracked")
            #expect(taken.rows == count)
            #expect(taken.changed == Set(named.map { after + 1 + Int64($0) }), "the sites given other names, and no others")
            try written.ids.withUnsafeBytes { all in
                for k in 0..<count where !named.contains(k) {
                    let stored = try #require(try Self.storedHash(batch.db, fid: after + 1 + Int64(k)))
                    #expect(String(decoding: written.id(k, in: all), as: UTF8.self) == stored.id)
                    #expect(stored.id == ids[k])
                    let hash = try #require(written.hash(k))
                    #expect(Data(hash) == stored.hash, "site \(k)")
                }
            }
        }
        let listed = try Self.checkListing(store)
        #expect(listed.count == count)
        #expect(listed == listed.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }, "in index order")
        try store.write { db in   // the writer's connection, which the import used
            let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'audit_written%'") ?? -1
            #expect(left == 0, "the temporary triggers and tables are gone with the import")
        }
    }

    /// New sites changed after they were written (an update, a delete, a link, another name)
    /// are read back, a deleted one is not listed, and an update to a site stored before the
    /// import is not taken for one of them.
    @Test func sitesChangedAfterTheyWereWrittenAreReadBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("c.gpkg"))
        defer { try? store.close() }
        let old = try SiteFixtures.point(51.4, 35.6, name: "Before")
        try store.insert(old)
        let source = Source(type: .document, title: "Testimony", sensitivity: .public)
        try store.insert(source)
        var sites: [Site] = []
        _ = try store.importBatch(label: "changed") { batch in
            let after = batch.indexes.firstNewFid
            for k in 0..<40 {
                let site = try Self.site(k)
                sites.append(site)
                _ = try batch.write(site, origin: nil)
            }
            func fid(_ k: Int) -> Int64 { after + 1 + Int64(k) }
            try batch.db.execute(sql: "UPDATE sites SET description = 'seen again' WHERE fid = ?", arguments: [fid(3)])
            try batch.db.execute(sql: "DELETE FROM sites WHERE fid = ?", arguments: [fid(5)])
            try batch.db.execute(sql: "INSERT INTO site_sources (site_id, source_id, note) VALUES (?, ?, 'seen')",
                                 arguments: [sites[7].id.uuidString, source.id.uuidString])
            try batch.db.execute(sql: "INSERT INTO site_names (site_id, lang, name, direction) VALUES (?, 'fa', 'گورستان', 'rtl')",
                                 arguments: [sites[9].id.uuidString])
            try batch.db.execute(sql: "UPDATE sites SET description = 'old, edited' WHERE uuid = ?", arguments: [old.id.uuidString])
            let taken = try #require(try batch.change.written?.take(batch.db))
            #expect(taken.changed == [fid(3), fid(5), fid(7), fid(9)])
        }
        let listed = try Self.checkListing(store, editedAround: [old.id.uuidString])
        #expect(Set(listed) == Set(sites.enumerated().filter { $0.offset != 5 }.map(\.element.id.uuidString)))
    }

    /// A site inserted into the table by a statement the tracker does not see (here plain
    /// SQL) makes the listing read every new site back; nothing is missed.
    @Test func anInsertTheTrackerDidNotSeeMeansEveryNewSiteIsReadBack() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("u.gpkg"))
        defer { try? store.close() }
        var ids: [String] = []
        _ = try store.importBatch(label: "around") { batch in
            for k in 0..<10 { ids.append(try batch.write(try Self.site(k), origin: nil).id.uuidString) }
            let other = UUID().uuidString
            try batch.db.execute(sql: """
                INSERT INTO sites (uuid, name, site_type, status, condition, location_precision, sensitivity)
                VALUES (?, 'Unseen', 'mass_grave', 'reported', 'unknown', 'approximate', 'public')
                """, arguments: [other])
            ids.append(other)
            for k in 10..<15 { ids.append(try batch.write(try Self.site(k), origin: nil).id.uuidString) }
            #expect(try batch.change.written?.take(batch.db) == nil, "the fids do not run on: the tracker is not used")
        }
        #expect(Set(try Self.checkListing(store)) == Set(ids))
    }

    /// A record whose key an earlier record of the same new dataset had fails its insert
    /// (no row returned, no fid taken) and is stored as a keyless site: the fids still run
    /// on, so the hashes as written are used, and they verify.
    @Test func aRepeatedKeyKeepsTheTrackerWhole() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("r.gpkg"))
        defer { try? store.close() }
        var ids: [String] = []
        _ = try store.importBatch(label: "repeated") { batch in
            for k in [0, 3, 6, 3, 9] {   // k % 3 == 0: dataset "fosas", key k
                let written = try batch.write(try Self.site(k), origin: nil)
                ids.append(written.id.uuidString)
            }
            let taken = try #require(try batch.change.written?.take(batch.db))
            #expect(taken.rows == 5)
            #expect(taken.changed.isEmpty)
        }
        #expect(Set(try Self.checkListing(store)) == Set(ids))
    }

    /// An import that fails midway, with a hashing chunk begun and never handed on, rolls
    /// back whole: the temporary triggers and tables are gone, and nothing is left waiting.
    @Test func anImportThatFailsMidwayLeavesNothingBehind() throws {
        struct Stop: Error {}
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("f.gpkg"))
        defer { try? store.close() }
        for count in [5, HashPipeline.rowsPerChunk + 5] {
            #expect(throws: Stop.self) {
                _ = try store.importBatch(label: "fails") { batch in
                    for k in 0..<count { _ = try batch.write(try Self.site(k), origin: nil) }
                    throw Stop()
                }
            }
        }
        let left = try store.write { db in   // the writer's connection, which the import used
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM sites") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_temp_master WHERE name LIKE 'audit_written%'") ?? -1)
        }
        #expect(left.0 == 0 && left.1 == 0, "sites, temporaries: \(left)")
        _ = try store.importBatch(label: "then") { batch in _ = try batch.write(try Self.site(1), origin: nil) }
        #expect(try Self.checkListing(store).count == 1)
    }

    /// What `WrittenSites.writeStored` says SQLite stores for a value bound to a column of
    /// each affinity is what SQLite stores, read back: checked over integers, reals (whole,
    /// negative zero, NaN, infinite, beyond 2^53) and texts (numbers in every form, dates,
    /// words, white space, a NUL) under the declared types the store uses and SQLite's
    /// five affinities; whenever it is not sure it says so, and it is sure of the values an
    /// import writes (dates, words, reals in a REAL column, integers in an INTEGER one).
    @Test func theStoredValueIsPredictedAsSQLiteStoresIt() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SiteStore.create(at: dir.path("a.gpkg"))
        defer { try? store.close() }
        let declared = ["INTEGER", "REAL", "DATE", "DATETIME", "GEOMETRY", "TEXT", "BLOB", ""]
        let texts = ["1988", " 12 ", "1e5", "1E+5", "1e", "+3", "-0", "-0.0", ".5", "5.", "0x10", "1,5", "1-2", "1988-01-01",
                     "2024-06-01T10:00:00.000Z", "abc", "", " ", "inf", "NaN", "Infinity", "1e999", "9223372036854775808",
                     "١٩٨٨", "12\u{0}", "3.0", "\t7\n", "Víznar", "[]"]
        let reals = [3.0, -0.0, 0.0, 0.1, -2.5, Double.nan, Double.infinity, 4.611686018427388e18, 2_251_799_813_685_248.0,
                     2_251_799_813_685_247.0, 1e300, -1e-300]
        let integers: [Int64] = [0, 3, -7, 1 << 53, (1 << 53) + 1, Int64.max, Int64.min]
        var values: [(String, Site.BoundValue?)] = []
        for text in texts { values.append(("text \(text.debugDescription)", nil)) }
        for real in reals { values.append(("real \(real)", .real(real))) }
        for integer in integers { values.append(("integer \(integer)", .integer(integer))) }
        values.append(("null", .null))
        var sure = 0, unsure: [String] = []
        try store.write { db in
            try db.execute(sql: "CREATE TABLE affinities (" + declared.indices.map { "c\($0) \(declared[$0])" }.joined(separator: ", ") + ")")
            let insert = try RawStatement(db, "INSERT INTO affinities VALUES (" + declared.map { _ in "?" }.joined(separator: ", ") + ")")
            let select = try RawStatement(db, "SELECT * FROM affinities WHERE rowid = ?")
            for (label, given) in values {
                let textIndex = label.hasPrefix("text ") ? texts.firstIndex { "text \($0.debugDescription)" == label } : nil
                let textBytes = textIndex.map { Array(texts[$0].utf8) } ?? []
                try textBytes.withUnsafeBytes { bytes in
                    let value = given ?? .text(bytes)
                    for k in declared.indices { insert.bindStaged(Int32(k + 1), value) }
                    try insert.run()
                    select.bind(1, db.lastInsertedRowID)
                    defer { select.reset() }
                    #expect(try select.step())
                    for (k, type) in declared.enumerated() {
                        let stored = ContentHash.ByteBuffer(), predicted = ContentHash.ByteBuffer()
                        ContentHash.writeValue(select, Int32(k), to: stored)
                        let affinity = WrittenSites.Affinity(declared: type)
                        if WrittenSites.writeStored(value, affinity, to: predicted) {
                            sure += 1
                            let same = stored.count == predicted.count && memcmp(stored.base, predicted.base, stored.count) == 0
                            #expect(same, "\(label) in a \(type.isEmpty ? "untyped" : type) column (\(affinity))")
                        } else {
                            unsure.append("\(label) in \(type)")
                        }
                    }
                }
            }
        }
        #expect(sure > unsure.count, "most values are predicted: \(unsure)")
        // What an import writes is always predicted.
        let mustBeSure = ["text \"1988-01-01\" in DATE", "text \"2024-06-01T10:00:00.000Z\" in DATETIME", "text \"abc\" in TEXT",
                          "text \"1988\" in TEXT", "real 0.1 in REAL", "real 3.0 in REAL", "real -0.0 in REAL", "real nan in REAL",
                          "integer 3 in INTEGER", "null in DATE", "text \"Víznar\" in DATE"]
        for label in mustBeSure { #expect(!unsure.contains(label), "\(label) is predicted") }
    }
}
