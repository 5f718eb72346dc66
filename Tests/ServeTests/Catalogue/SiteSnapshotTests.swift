import Foundation
import Geometry
import Store
import Testing

/// The store's read snapshot the server answers from: its change mark moves with every commit
/// (and only then), and what it reads agrees with the store's own listing.
@Suite struct SiteSnapshotTests {
    @Test func theChangeMarkMovesWithEveryCommitAndTheReadsAgreeWithTheListing() throws {
        let fixture = try ServeFixture.make("snapshot", publicCount: 8, restricted: 3, confidential: 2)
        defer { fixture.remove() }
        let store = try SiteStore(path: fixture.storePath)
        defer { try? store.close() }
        let before = try store.snapshot { try $0.changeMark() }
        #expect(try store.snapshot { try $0.changeMark() } == before, "no commit, no move")
        let id = try #require(UUID(uuidString: fixture.sites[1].id))
        try store.insert(SiteEvent(site: id, type: .exhumed, date: try PartialDate(parsing: "2024-05")))
        let after = try store.snapshot { try $0.changeMark() }
        #expect(after > before)

        var listed: [UUID: ListedSite] = [:]
        try store.forEachSite { listed[$0.site.id] = $0 }
        try store.snapshot { snap in
            var count = 0
            try snap.forEachSiteWithoutNames { fid, site in
                count += 1
                let whole = try snap.site(fid: fid)
                #expect(whole?.site == listed[site.id]?.site, "\(site.id): the same site, names included")
                #expect(whole?.lastEventDate == listed[site.id]?.lastEventDate)
                #expect(try snap.fid(of: site.id) == fid)
                #expect(try snap.events(site: site.id) == (try store.events(site: site.id)))
            }
            #expect(count == fixture.sites.count)
            let spans = try snap.eventSpans()
            #expect(spans[id]?.to == "2024-05-31")
            for (site, span) in spans { #expect(span.from <= span.to && listed[site]?.lastEventDate == span.to) }
            #expect(try snap.grid() == (try store.grid()))
        }
    }
}
