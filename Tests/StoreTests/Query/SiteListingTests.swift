import TestSupport
import Foundation
import Geometry
import Testing
@testable import Store

/// The full listing exports read: every site once, in insertion order, with its own names and
/// the last day of its latest dated event.
@Suite struct SiteListingTests {
    func store() throws -> (SiteStore, String) {
        let path = NSTemporaryDirectory() + "listing-\(UUID().uuidString).gpkg"
        return (try SiteStore.create(at: path), path)
    }

    @Test func listsEverySiteInOrderWithItsNames() throws {
        let (store, path) = try store()
        defer { try? store.close(); try? FileManager.default.removeItem(atPath: path) }
        var rng = SplitMix64(seed: 7)
        var sites: [Site] = []
        for i in 0..<300 {
            var site = try SiteFixtures.point(Double.random(in: 44...63, using: &rng), Double.random(in: 25...40, using: &rng),
                                              name: "site \(i)")
            // 0, 1 or 3 names, so the name cursor must skip sites without names.
            let count = [0, 1, 3][i % 3]
            site.names = (0..<count).map { k in SiteName(language: ["fa", "en", "az-Arab"][k], name: "نام \(i)-\(k)") }
            sites.append(site)
        }
        // Half in one batch, the rest one at a time: order is insertion order either way.
        try store.insertBatch(sites[..<150])
        for site in sites[150...] { try store.insert(site) }
        var listed: [ListedSite] = []
        try store.forEachSite { listed.append($0) }
        #expect(listed.map(\.site) == sites)
        #expect(listed.allSatisfy { $0.lastEventDate == nil })
        #expect(try store.nameLanguages() == ["az-Arab", "en", "fa"])
    }

    @Test func lastEventDateIsTheLatestDayAnyEventCanMean() throws {
        let (store, path) = try store()
        defer { try? store.close(); try? FileManager.default.removeItem(atPath: path) }
        let a = try SiteFixtures.point(51.4, 35.6, name: "a"), b = try SiteFixtures.point(48.7, 31.3, name: "b")
        let c = try SiteFixtures.point(46.3, 38.1, name: "c")
        try store.insertBatch([a, b, c])
        try store.insert(SiteEvent(site: a.id, type: .reported, date: try PartialDate(parsing: "1988-08-01")))
        try store.insert(SiteEvent(site: a.id, type: .bulldozed, date: try PartialDate(parsing: "2021-01")))
        try store.insert(SiteEvent(site: a.id, type: .visited, date: try PartialDate(parsing: "2019")))
        // Mordad 1367 SH is 1988-07-23 … 1988-08-22.
        try store.insert(SiteEvent(site: b.id, type: .reported, date: try PartialDate(parsing: "1367-05", calendar: .solarHijri)))
        try store.insert(SiteEvent(site: c.id, type: .other))
        var last: [String: String?] = [:]
        try store.forEachSite { last[$0.site.name] = $0.lastEventDate }
        #expect(last["a"] == "2021-01-31")
        #expect(last["b"] == "1988-08-22")
        #expect(last["c"] == .some(nil))
    }

    @Test func anErrorFromTheCallerStopsTheListing() throws {
        struct Stop: Error {}
        let (store, path) = try store()
        defer { try? store.close(); try? FileManager.default.removeItem(atPath: path) }
        try store.insertBatch(try (0..<10).map { try SiteFixtures.point(Double($0), 0, name: "s\($0)") })
        var seen = 0
        #expect(throws: Stop.self) {
            try store.forEachSite { _ in
                seen += 1
                if seen == 3 { throw Stop() }
            }
        }
        #expect(seen == 3)
        let identity = try store.identity()
        #expect(identity["sites"] == "10" && identity["audit_entries"] == "1")
        #expect(identity["path"] == URL(fileURLWithPath: path).standardizedFileURL.path)
    }
}
