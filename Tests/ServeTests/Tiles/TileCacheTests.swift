import Export
import Foundation
@testable import Serve
import Store
import Testing

/// The tile cache keeps at most its capacity, drops the least recently used first, and
/// empties when an answer for a newer state of the store arrives.
@Suite struct TileCacheTests {
    static let state = TileService.State(mark: 1, salt: "s")

    static func key(_ i: Int, _ state: TileService.State = state) -> TileCache.Key {
        TileCache.Key(state: state, audience: .public, tile: TileCoordinate(z: 10, x: i, y: 0))
    }

    @Test func itHoldsNoMoreThanItsCapacityAndDropsTheOldestFirst() {
        let cache = TileCache(capacity: 100 * (1_000 + TileCache.overhead))
        for i in 0..<100 { cache.put(Self.key(i), Array(repeating: UInt8(i), count: 1_000)) }
        #expect(cache.count == 100)
        _ = cache.get(Self.key(0))        // now the most recently used
        for i in 100..<400 {
            cache.put(Self.key(i), Array(repeating: 1, count: 1_000))
            #expect(cache.size <= cache.capacity)
        }
        #expect(cache.get(Self.key(399)) != nil, "the newest stays")
        #expect(cache.get(Self.key(1)) == nil, "an old one went")
        #expect(cache.count < 100)
        let big = TileCache(capacity: 500)
        big.put(Self.key(1), Array(repeating: 0, count: 1_000))
        #expect(big.get(Self.key(1)) == nil, "an answer larger than the whole cache is not kept")
    }

    @Test func aNewerStateEmptiesIt() {
        let cache = TileCache(capacity: 1 << 20)
        cache.put(Self.key(1), [1, 2, 3])
        #expect(cache.get(Self.key(1)) == [1, 2, 3])
        let newer = TileService.State(mark: 2, salt: "s")
        #expect(cache.get(Self.key(1, newer)) == nil)
        cache.put(Self.key(2, newer), [4])
        #expect(cache.get(Self.key(1)) == nil, "the older state's answers are gone")
        #expect(cache.count == 1)
        let off = TileCache(capacity: 0)
        off.put(Self.key(1), [1])
        #expect(off.get(Self.key(1)) == nil, "--cache-mb 0 keeps nothing")
    }
}
