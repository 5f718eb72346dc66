import Export
import Foundation
import Geometry
@testable import Serve
import Store
import Testing

/// The items index, sorted on disk, is the same whether its entries were sorted in one chunk
/// or through many runs: the same entries in the same order (the published key, then fid),
/// one per site the audience sees, with the same extents.
@Suite struct SiteIndexTests {
    static func entries(_ index: SiteIndex) throws -> [SiteIndex.Entry] {
        var out: [SiteIndex.Entry] = []
        try index.entries.forEach { out.append($0); return true }
        return out
    }

    @Test(arguments: [Audience.public, .partner, .internal])
    func manyRunsOnDiskGiveTheIndexOfOneChunk(audience: Audience) throws {
        let fixture = try ServeFixture.make("site-index", publicCount: 60, restricted: 30, confidential: 15, west: 40)
        defer { fixture.remove() }
        let store = try SiteStore(path: fixture.storePath, access: .readOnly)
        defer { try? store.close() }
        let state = try StoreStates(store: store).current()
        try store.snapshot { snap in
            let policy = try SafeguardingPolicy(audience: audience, storeGrid: try snap.grid(), cellSize: nil)
            let columns = try OutputColumns.discover(in: store, view: policy.view, lastEventDate: true)
            let one = try SiteIndex(snapshot: snap, policy: policy, columns: columns, state: state)
            let runs = try SiteIndex(snapshot: snap, policy: policy, columns: columns, state: state, chunkSize: 3)
            let a = try Self.entries(one), b = try Self.entries(runs)
            let shown = fixture.sites.filter { audience.treatment(of: $0.sensitivity) != .withheld }.count
            #expect(a.count == shown && b.count == shown)
            #expect(zip(a, b).allSatisfy { $0.key == $1.key && $0.fid == $1.fid && $0.box == $1.box && $0.siteType == $1.siteType
                && one.span($0)?.from == runs.span($1)?.from && one.span($0)?.to == runs.span($1)?.to })
            #expect(zip(b, b.dropFirst()).allSatisfy { $0.key != $1.key ? $0.key < $1.key : $0.fid < $1.fid })
            #expect(one.extent == runs.extent)
            #expect(one.temporalExtent?.from == runs.temporalExtent?.from && one.temporalExtent?.to == runs.temporalExtent?.to)
            // The temporal extent is the first and last day of the entries' spans.
            let spans = b.compactMap { runs.span($0) }
            #expect(runs.temporalExtent?.from == spans.map(\.from).min() && runs.temporalExtent?.to == spans.map(\.to).max())
            #expect(audience == .public ? spans.count < b.count : !spans.isEmpty)
            // A page starts after its cursor, found by binary search in the file.
            for (i, e) in b.enumerated() where i % 7 == 0 {
                #expect(try runs.position(after: e.key) == i + 1)
            }
        }
    }
}
