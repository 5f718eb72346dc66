import Foundation
import GRDB
import Geometry
import TestSupport
import Testing
@testable import Store

/// Rows copied out of SQLite (`SiteRowCopies`, as `near --points` copies them for its second
/// thread) read into exactly the sites the statement's own rows give: every field, names,
/// dates, geometry; NULLs; and values other programs leave in the file (a number in a text
/// column, text where a number belongs).
@Suite struct SiteRowCopiesTests {
    @Test func copiedRowsReadIntoTheSitesTheStatementGives() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("copies.gpkg")
        let store = try SiteStore.create(at: path)
        var sites = try NearInChunksTests.makeSites(seed: 11)
        for i in sites.indices where i % 3 == 0 {
            sites[i].victimsMin = i
            sites[i].victimsMax = i % 2 == 0 ? i * 2 : nil
            sites[i].uncertaintyM = Double(i) / 8
            sites[i].description = i % 2 == 0 ? "گور دسته‌جمعی \(i)" : "fosa común nº \(i)"
            sites[i].date = try PartialDate(parsing: ["1988-08", "1367-05-10", "1936"][i % 3],
                                            calendar: i % 3 == 1 ? .solarHijri : nil)
            sites[i].names = [SiteName(language: "fa", name: "خاوران \(i)"), SiteName(language: "en", name: "Khavaran \(i)")]
        }
        try store.insertBatch(sites)
        try store.close()
        // As QGIS or the sqlite3 shell may leave them: a blob in a text column (a number there
        // becomes text by the column's affinity; a blob stays a blob), text in an integer
        // column, an empty text.
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in
            try db.execute(sql: "UPDATE sites SET description = CAST('fosa 12.5' AS BLOB) WHERE fid % 7 = 0")
            try db.execute(sql: "UPDATE sites SET victims_min = 'about 40' WHERE fid % 11 = 0")
            try db.execute(sql: "UPDATE sites SET period = '' WHERE fid % 13 = 0")
        }
        try queue.close()

        let reader = try SiteStore(path: path, access: .readOnly)
        defer { try? reader.close() }
        // Two passes over the rows, one each way: reading a value as text converts it in place
        // (SQLite's column type is then that of the text), which one pass would hide.
        let (expected, copied) = try reader.read { db -> ([Site], [Site]) in
            let fetch = try SiteFetch(db)
            let select = try RawStatement(db, Site.selectSQL + " ORDER BY fid")
            var copies = SiteRowCopies()
            while try select.step() { copies.append(select, names: try fetch.names(on: select)) }
            select.reset()
            var expected: [Site] = []
            while try select.step() { expected.append(try fetch.site(on: select)) }
            return (expected, try copies.sites())
        }
        #expect(expected.count == sites.count)
        #expect(copied.count == expected.count)
        let differing = zip(copied, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(differing == nil, "row \(differing?.offset ?? 0): copied \(String(describing: differing?.element.0)), read \(String(describing: differing?.element.1))")
        #expect(expected.contains { $0.description == "fosa 12.5" } && expected.contains { !$0.names.isEmpty })
    }

    /// A copied row that does not read as a site fails as the statement's row does.
    @Test func aRowThatIsNoSiteFailsTheSameWay() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("bad.gpkg")
        let store = try SiteStore.create(at: path)
        try store.insertBatch([try SiteFixtures.point(51.4, 35.6, name: "one")])
        try store.close()
        let queue = try DatabaseQueue(path: path, configuration: SiteStore.configuration())
        try queue.write { db in try db.execute(sql: "UPDATE sites SET uuid = 'not a uuid'") }
        try queue.close()
        let reader = try SiteStore(path: path, access: .readOnly)
        defer { try? reader.close() }
        let (direct, copied) = try reader.read { db -> (String, String) in
            let fetch = try SiteFetch(db)
            let select = try RawStatement(db, Site.selectSQL)
            _ = try select.step()
            var copies = SiteRowCopies()
            copies.append(select, names: [])
            let direct = (try? fetch.site(on: select)).map { "\($0)" } ?? "\(Self.error { try fetch.site(on: select) })"
            let copied = "\(Self.error { try copies.sites() })"
            return (direct, copied)
        }
        #expect(direct == copied && direct.contains("not a UUID"), "\(direct) / \(copied)")
    }

    static func error(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }
}
