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
///   the first time it is needed after the store changed (its change mark moved), never from
///   the sites under the tile: at zoom 0 that would be every site.
/// - Answers are kept in a cache of at most `cacheBytes` (least recently used out first),
///   emptied when the store changes.
public final class TileService: Sendable {
    public let store: SiteStore
    public let options: TileOptions
    /// The first zoom cut from the R*Tree rather than from the summary.
    public let summaryZoom: Int
    let cutter: TileOnDemand
    let cache: TileCache
    private let summaries = Mutex<[Audience: AudienceTiles]>([:])
    /// One summary is built at a time: builds are one pass over the store each.
    private let building = Mutex<Void>(())

    /// - Throws: `ExportError.invalidOption` for options that do not validate.
    public init(store: SiteStore, cacheBytes: Int, options: TileOptions = TileOptions(minZoom: 0, maxZoom: 14),
                summaryZoom: Int = 10) throws {
        self.store = store
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
        try store.snapshot { snap in
            let state = try self.state(snap)
            let etag = Self.etag(state, audience: audience, tile: tile)
            if let kept = cache.get(TileCache.Key(state: state, audience: audience, tile: tile)) {
                return Answer(gzip: kept.isEmpty ? nil : kept, etag: etag, cached: true)
            }
            let mvt = try self.cut(tile, for: audience, state: state, snap: snap)
            let gzip = try mvt.map { try Gzip.compress($0) }
            cache.put(TileCache.Key(state: state, audience: audience, tile: tile), gzip ?? [])
            return Answer(gzip: gzip, etag: etag, cached: false)
        }
    }

    /// The ETag of a tile answer, without cutting it (for `If-None-Match`).
    public func etag(_ tile: TileCoordinate, for audience: Audience) throws -> String {
        try store.snapshot { snap in Self.etag(try self.state(snap), audience: audience, tile: tile) }
    }

    /// What the tile set holds for the audience (bounds, fields), for TileJSON and the style.
    public func tileset(for audience: Audience) throws -> TilesetDescription {
        try store.snapshot { snap in try self.audienceTiles(audience, state: try self.state(snap), snap: snap).tileset }
    }

    /// The state of the store a tile is cut from: its change mark and the published order's salt.
    struct State: Hashable, Sendable {
        var mark: Int64
        var salt: String
    }

    private func state(_ snap: SiteSnapshot) throws -> State {
        State(mark: try snap.changeMark(), salt: try snap.orderSalt())
    }

    /// A hash of the state, the audience and the tile: the change mark itself is not shown (it
    /// tells when imports happen, which `/metrics` keeps to the internal audience), and the
    /// order salt, which no answer shows, keeps the hash from being searched for the mark.
    private static func etag(_ state: State, audience: Audience, tile: TileCoordinate) -> String {
        let hash = ExportFeature.stableID("\(state.mark)|\(state.salt)|\(audience.rawValue)|\(tile)")
        return "\"\(String(hash, radix: 36))\""
    }

    private func cut(_ tile: TileCoordinate, for audience: Audience, state: State, snap: SiteSnapshot) throws -> [UInt8]? {
        let tiles = try audienceTiles(audience, state: state, snap: snap)
        if tile.z < summaryZoom {
            let shapes = try tiles.features(snap, fids: tiles.summary.shapes(in: tile), ordered: true)
            return try cutter.tile(tile, features: shapes, cells: tiles.summary.cells(in: tile)) { fid in
                try tiles.feature(snap, fid: fid)
            }
        }
        let fids = try snap.fids(meeting: tiles.searchBox(tile, options: options, widened: false),
                                 widening: tiles.view.sensitivities(.generalised),
                                 to: tiles.searchBox(tile, options: options, widened: true))
        return try cutter.tile(tile, features: try tiles.features(snap, fids: fids, ordered: true))
    }

    /// The audience's summary and columns for the store's state: the kept ones, or built now.
    private func audienceTiles(_ audience: Audience, state: State, snap: SiteSnapshot) throws -> AudienceTiles {
        if let kept = summaries.withLock({ $0[audience] }), kept.state == state { return kept }
        return try building.withLock { _ in
            if let kept = summaries.withLock({ $0[audience] }), kept.state == state { return kept }
            let built = try AudienceTiles(store: store, snap: snap, audience: audience, state: state, options: options,
                                          summaryZoom: summaryZoom)
            // The columns come from a read of their own: kept only when the store did not
            // change meanwhile, so a kept summary never pairs two states.
            if try store.snapshot({ try self.state($0) }) == state { summaries.withLock { $0[audience] = built } }
            return built
        }
    }
}
