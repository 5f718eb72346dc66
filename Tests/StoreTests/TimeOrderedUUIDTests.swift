import Foundation
import GRDB
import TestSupport
import Testing
@testable import Store

/// New sites' ids are time-ordered UUIDs (version 7, RFC 9562): version and variant bits, the
/// clock's milliseconds in front, strictly increasing within the process (so a batch's ids
/// go to the end of the id index), unique; and ids already stored are kept by a re-import.
@Suite struct TimeOrderedUUIDTests {
    static func milliseconds() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000) }

    @Test func versionVariantAndTime() {
        let before = Self.milliseconds()
        let ids = (0..<20_000).map { _ in UUID.timeOrdered() }
        let after = Self.milliseconds()
        for id in ids {
            #expect(id.version == 7 && id.uuid.6 >> 4 == 7, "version nibble of \(id)")
            #expect(id.uuid.8 >> 6 == 0b10, "variant bits of \(id)")
            let time = id.unixMilliseconds ?? 0
            // Within the calls' time (a few ms ahead only if a millisecond's bits ran out).
            #expect(time + 1 >= before && time <= after + 1, "time \(time) of \(id), clock \(before)…\(after)")
        }
        #expect(UUID.random().unixMilliseconds == nil && UUID.random().version == 4)
        // The bits after the time vary: the last 32, which the random steps within a
        // millisecond move, are each set in about half the ids. (The ones above change once a
        // millisecond, too seldom over these ids for such a count.)
        for bit in 0..<32 {
            let set = ids.filter { (UInt64(bigEndian: withUnsafeBytes(of: $0.uuid) { $0.loadUnaligned(fromByteOffset: 8, as: UInt64.self) }) >> bit) & 1 == 1 }.count
            #expect((8_000...12_000).contains(set), "bit \(bit) of rand_b: \(set)")
        }
    }

    @Test func idsIncreaseInTheOrderTheyAreMadeAsNumbersAndAsText() {
        let ids = (0..<50_000).map { _ in UUID.timeOrdered() }
        for (a, b) in zip(ids, ids.dropFirst()) {
            #expect(Array(a.text.utf8).lexicographicallyPrecedes(Array(b.text.utf8)), "\(a) then \(b)")
            #expect(withUnsafeBytes(of: a.uuid) { x in withUnsafeBytes(of: b.uuid) { y in x.lexicographicallyPrecedes(y) } })
        }
    }

    @Test func aMillionAreDistinct() {
        var seen = Set<UUID>(minimumCapacity: 1_000_000)
        for _ in 0..<1_000_000 { seen.insert(UUID.timeOrdered()) }
        #expect(seen.count == 1_000_000)
    }

    /// The generator alone, with a clock that stands still, steps back and jumps, and random
    /// bits that make the counter carry: every id is above the one before.
    @Test func monotonicWhateverTheClockDoes() {
        var rng = SplitMix64(seed: 7)
        var state = TimeOrderedUUIDs()
        var clock: UInt64 = 1_764_000_000_000
        var last: UUID?
        var ids: [UUID] = []
        for i in 0..<100_000 {
            switch i % 1_000 {
            case 0: clock -= 5_000          // the clock set back
            case 500: clock += 1_000        // and forward
            default: if rng.next() % 4 == 0 { clock += 1 }
            }
            // Now and then the most bits the counter can take, so it carries into rand_a.
            let random = i % 97 == 0 ? (UInt64.max, UInt64.max) : (rng.next(), rng.next())
            let id = state.next(now: clock, random: random)
            #expect(id.version == 7 && id.uuid.8 >> 6 == 0b10)
            if let last { #expect(last.text < id.text, "\(last) then \(id) at \(i)") }
            last = id
            ids.append(id)
        }
        #expect(Set(ids).count == ids.count)
        // rand_b at its largest, then one more id in the same millisecond: the carry goes
        // into rand_a, and the order holds.
        var full = TimeOrderedUUIDs()
        let a = full.next(now: 5, random: (0, UInt64.max))
        let b = full.next(now: 5, random: (0, 0))
        #expect(a.text < b.text && a.unixMilliseconds == 5 && b.unixMilliseconds == 5)
        #expect(b.uuid.7 == a.uuid.7 + 1)
    }

    /// A batch of sites given time-ordered ids: ids in the order of their fids, so each went
    /// to the end of the id index; re-imported (new `Site` values, new ids), the stored sites
    /// keep theirs.
    @Test func aBatchIsInIdOrderAndAReimportKeepsStoredIds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.path("v7.gpkg")
        let store = try SiteStore.create(at: path)
        func keyed(_ seed: UInt64) throws -> [Site] {
            try BatchIndexTests.sites(1_500, seed: seed).enumerated().map { i, fixture in
                var site = Site(id: .timeOrdered(), geometry: fixture.geometry, name: fixture.name, type: .massGrave,
                                status: .reported, sensitivity: .public)
                (site.dataset, site.sourceKey) = ("survey", "KH-\(i)")
                site.sourceAttributes = #"{"ID":"KH-\#(i)"}"#   // the key is the record's own
                return site
            }
        }
        let first = try keyed(3)
        #expect(first.allSatisfy { $0.id.version == 7 })
        _ = try store.importBatch(label: "first") { batch in
            for site in first { _ = try batch.write(site, origin: nil) }
        }
        let stored = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT uuid FROM sites ORDER BY fid")
        }
        #expect(stored == first.map(\.id.text))
        #expect(stored == stored.sorted())
        // The same records again, as a new import makes them: new ids that are not used.
        let again = try keyed(3)
        #expect(Set(again.map(\.id)).isDisjoint(with: first.map(\.id)))
        let (writes, inserted, _, _) = try store.importBatch(label: "again") { batch in
            try again.map { try batch.write($0, origin: nil) }
        }
        #expect(inserted == 0)
        #expect(writes.map(\.id) == first.map(\.id))
        try store.close()
        let after = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT uuid FROM sites ORDER BY fid")
        }
        #expect(after == stored)
    }

    /// New sites get random ids: sorted, a batch's ids do not give its import order (which a
    /// file sorted by place would turn into positions; see `UUID.timeOrdered`).
    @Test func newSitesIdsDoNotFollowImportOrder() throws {
        let sites = try BatchIndexTests.sites(40, seed: 11).map {
            Site(geometry: $0.geometry, name: $0.name, type: .massGrave, status: .reported, sensitivity: .restricted)
        }
        #expect(sites.allSatisfy { $0.id.version == 4 })
        let ids = sites.map(\.id.text)
        #expect(ids != ids.sorted() && ids != ids.sorted().reversed())
    }
}
