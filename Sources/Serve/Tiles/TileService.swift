import Crypto
import Export
import Foundation
import Geometry
import Store
import Synchronization

/// Vector tiles of the store on demand, for one audience at a time, cut by `export tiles`'
/// code (`TileOnDemand`): a tile the server sends is the tile `graveatlas export tiles
/// --audience A` writes for the same store.
///
/// ```swift
/// let tiles = TileService(store: store, cacheBytes: 256 << 20)
/// let answer = try tiles.tile(TileCoordinate(z: 14, x: 10533, y: 6449), for: .public)
/// answer.gzip      // nil for an empty tile
/// answer.etag      // "\"…\"": a hash of the store's state, the audience and the tile
/// ```
/// - Zooms from `summaryZoom` on are cut from the sites the R*Tree finds in the tile and its
///   buffer (generalised sites, shown at their cell's centre, are looked for one grid cell
///   further out). Memory: the sites of one tile.
/// - Lower zooms come from a `ClusterSummary` per audience, built in one pass over the store
///   the first time it is needed after the store changed (any commit, by any program), never from
///   the sites under the tile: at zoom 0 that would be every site.
/// - Answers are kept in a cache of at most `cacheBytes` (least recently used out first),
///   emptied when the store changes. A cached answer costs one look at the store's file
///   (`StoreStates.unchanged`), whatever the store's size.
public final class TileService: Sendable {
    public let store: SiteStore
    public let options: TileOptions
    /// The first zoom cut from the R*Tree rather than from the summary.
    public let summaryZoom: Int
    let cutter: TileOnDemand
    let cache: TileCache
    /// The store's state, looked at once per request (see `StoreStates`).
    let states: StoreStates
    private let audiences = Mutex<[Audience: AudienceTiles]>([:])
    private let summaries = Mutex<[Audience: AudienceSummary]>([:])
    /// One summary is built at a time: builds are one pass over the store each.
    private let building = Mutex<Void>(())

    /// - Throws: `ExportError.invalidOption` for options that do not validate.
    public convenience init(store: SiteStore, cacheBytes: Int, options: TileOptions = TileOptions(minZoom: 0, maxZoom: 14),
                            summaryZoom: Int = 10) throws {
        try self.init(states: StoreStates(store: store), cacheBytes: cacheBytes, options: options, summaryZoom: summaryZoom)
    }

    /// The service over `states`' store, sharing its view of the store's state (the catalogue's).
    init(states: StoreStates, cacheBytes: Int, options: TileOptions = TileOptions(minZoom: 0, maxZoom: 14),
         summaryZoom: Int = 10) throws {
        self.store = states.store
        self.states = states
        self.options = options
        self.summaryZoom = max(options.minZoom, min(options.maxZoom, summaryZoom))
        cutter = try TileOnDemand(options: options)
        cache = TileCache(capacity: cacheBytes)
    }

    /// One tile's answer: its bytes gzipped (nil when nothing is drawn there) and its ETag.
    public struct Answer: Sendable {
        public var gzip: [UInt8]?
        public var etag: String
        /// Whether it came from the cache.
        public var cached: Bool
    }

    /// The tile for the audience, from the cache or cut now.
    /// - Throws: `StoreError` when the store cannot be read.
    public func tile(_ tile: TileCoordinate, for audience: Audience) throws -> Answer {
        let state = try states.current()
        let key = TileCache.Key(state: state, audience: audience, tile: tile)
        let etag = tag(state, audience: audience, tile: tile)
        if let kept = cache.get(key) {
            return Answer(gzip: kept.isEmpty ? nil : kept, etag: etag, cached: true)
        }
        // The snapshot begins after the state was found: it holds at least what the state counts.
        let mvt = try store.snapshot { snap in try self.cut(tile, for: audience, state: state, snap: snap) }
        let gzip = try mvt.map { try Gzip.compress($0) }
        cache.put(key, gzip ?? [])
        return Answer(gzip: gzip, etag: etag, cached: false)
    }

    /// The tile from the cache when the store has not changed since its state was last read:
    /// no read transaction, no table read, nothing that waits, so a caller may ask it on an
    /// event loop. Nil when the tile must be cut or the state read again (`tile(_:for:)`).
    /// - Throws: `StoreError` when the store's file cannot be read.
    public func cachedTile(_ tile: TileCoordinate, for audience: Audience) throws -> Answer? {
        guard let state = try states.unchanged(),
              let kept = cache.get(TileCache.Key(state: state, audience: audience, tile: tile)) else { return nil }
        return Answer(gzip: kept.isEmpty ? nil : kept, etag: tag(state, audience: audience, tile: tile), cached: true)
    }

    /// The ETag of a tile answer, without cutting it (for `If-None-Match`).
    public func etag(_ tile: TileCoordinate, for audience: Audience) throws -> String {
        tag(try states.current(), audience: audience, tile: tile)
    }

    /// `etag(_:for:)` when the store has not changed since its state was last read (see
    /// `cachedTile`); nil when the state must be read again.
    public func knownETag(_ tile: TileCoordinate, for audience: Audience) throws -> String? {
        try states.unchanged().map { tag($0, audience: audience, tile: tile) }
    }

    /// What the tile set holds for the audience (bounds, fields), for TileJSON and the style.
    public func tileset(for audience: Audience) throws -> TilesetDescription {
        let state = try states.current()
        return try store.snapshot { snap in
            try self.summary(self.audienceTiles(audience, state: state, snap: snap), snap: snap).tileset
        }
    }

    /// The state of the store a tile is cut from (see `StoreState`).
    typealias State = StoreState

    /// A hash of the state, the audience and the tile: the change mark itself is not shown (it
    /// tells when imports happen, which `/metrics` keeps to the internal audience); the order
    /// salt, which no answer shows, keeps the hash from being searched for the mark, and the
    /// states' nonce keeps one process's ETags from naming another's answers.
    private func tag(_ state: State, audience: Audience, tile: TileCoordinate) -> String {
        let text = "\(states.nonce)|\(state.generation)|\(state.mark)|\(state.salt)|\(audience.rawValue)|\(tile)"
        let hash = SHA256.hash(data: Array(text.utf8)).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return "\"\(String(hash, radix: 36))\""
    }

    private func cut(_ tile: TileCoordinate, for audience: Audience, state: State, snap: SiteSnapshot) throws -> [UInt8]? {
        let tiles = try audienceTiles(audience, state: state, snap: snap)
        if tile.z < summaryZoom {
            let summary = try self.summary(tiles, snap: snap).summary
            let shapes = try tiles.features(snap, fids: summary.shapes(in: tile), ordered: true)
            return try cutter.tile(tile, features: shapes, cells: summary.cells(in: tile)) { fid in
                try tiles.feature(snap, fid: fid)
            }
        }
        let fids = try snap.fids(meeting: tiles.searchBox(tile, options: options, widened: false),
                                 widening: tiles.view.sensitivities(.generalised),
                                 to: tiles.searchBox(tile, options: options, widened: true))
        return try cutter.tile(tile, features: try tiles.features(snap, fids: fids, ordered: true))
    }

    /// The audience's columns and order for the store's state: the kept ones, or made now
    /// (no site is read).
    private func audienceTiles(_ audience: Audience, state: State, snap: SiteSnapshot) throws -> AudienceTiles {
        if let kept = audiences.withLock({ $0[audience] }), kept.state == state { return kept }
        let made = try AudienceTiles(store: store, snap: snap, audience: audience, state: state)
        // The columns come from a read of their own: kept only when the store did not change
        // meanwhile, so kept columns never pair two states.
        if try states.current() == state { audiences.withLock { $0[audience] = made } }
        return made
    }

    /// The audience's low-zoom summary for the store's state: the kept one, or built now in one
    /// pass over the store (one build at a time).
    private func summary(_ tiles: AudienceTiles, snap: SiteSnapshot) throws -> AudienceSummary {
        let audience = tiles.view.audience
        if let kept = summaries.withLock({ $0[audience] }), kept.state == tiles.state { return kept }
        return try building.withLock { _ in
            if let kept = summaries.withLock({ $0[audience] }), kept.state == tiles.state { return kept }
            let built = try tiles.summarise(snap, options: options, summaryZoom: summaryZoom)
            if try states.current() == tiles.state { summaries.withLock { $0[audience] = built } }
            return built
        }
    }
}
