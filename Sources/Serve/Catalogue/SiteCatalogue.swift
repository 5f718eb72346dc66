import Export
import Foundation
import Geometry
import Store
import Synchronization

/// What the routes ask of the store: a collection's description, a page of features, one
/// feature (each read in one read transaction), a query's answer (read as `graveatlas query`
/// reads it), each for one audience. `StoreCatalogue` is the store's; the routes take the
/// protocol.
public protocol SiteCatalogue: Sendable {
    /// The extent the audience sees.
    func collection(for audience: Audience) throws -> CollectionSummary
    /// The page of features the query asks for, as GeoJSON feature texts.
    func items(_ query: ItemsQueryInput, for audience: Audience) throws -> ItemsPage
    /// One feature's GeoJSON text, nil when there is none or the audience may not see it.
    func item(id: String, for audience: Audience) throws -> [UInt8]?
    /// Throws when the store cannot be read (`/healthz`).
    func health() throws
    /// The store's change mark: the number of its last audit entry, which moves with every
    /// import or edit (`/metrics`).
    func changeMark() throws -> Int64
    /// The sites near a point, or the k nearest, as `graveatlas query near|nearest` answers.
    func proximity(_ query: ProximityQuery, for audience: Audience) throws -> QueryAnswer
    /// The sites whose text holds the words, as `graveatlas query search` answers.
    func search(_ query: SearchQuery, for audience: Audience) throws -> QueryAnswer
    /// The sites inside or touching an area, as `graveatlas query within` answers.
    func within(_ query: WithinQuery, for audience: Audience) throws -> QueryAnswer
    /// The sites inside, touching or overlapping an area, with the m² they share with it, as
    /// `graveatlas query overlaps --area` answers.
    func overlaps(_ query: OverlapsQuery, for audience: Audience) throws -> QueryAnswer
    /// The vector tiles of the store, nil when the catalogue has none (the tile routes are then absent).
    var tiles: TileService? { get }
}

extension SiteCatalogue {
    public var tiles: TileService? { nil }
}

/// The query of a page, as the route parsed it (see `ItemsQuery`).
public struct ItemsQueryInput: Sendable {
    let query: ItemsQuery
}

/// What `/collections/sites` says of the sites an audience sees.
public struct CollectionSummary: Sendable, Equatable {
    public var extent: BoundingBox?
    /// First and last day, `YYYY-MM-DD`.
    public var from: String?
    public var to: String?
    public var count: Int
}

/// One page: the features' texts, how many match, and the key of the last one when more follow.
public struct ItemsPage: Sendable {
    public var features: [[UInt8]]
    public var numberMatched: Int
    var next: PublishedOrder.Key?
}

/// The store as the routes see it: an index per audience (`SiteIndex`) rebuilt when the store
/// changes (any commit, by any program: `StoreStates`), and the features read through Export's columns, so that each one is what
/// `graveatlas export geojson --audience A` writes for the site.
///
/// ```swift
/// let catalogue = try StoreCatalogue(store: try SiteStore(path: "atlas.gpkg", access: .readOnly))
/// let page = try catalogue.items(ItemsQueryInput(query: try ItemsQuery([:])), for: .public)
/// ```
/// Each call is one snapshot of the store: an import committing meanwhile shows in the next
/// call. A page costs a binary search in the index and one read per feature, wherever it starts;
/// with filters, counting `numberMatched` reads the whole index (from its file: see `SiteIndex`).
public final class StoreCatalogue: SiteCatalogue {
    public let store: SiteStore
    public let tiles: TileService?
    /// The store's state, which the indexes and the tiles are kept for.
    let states: StoreStates
    private let indexes = Mutex<[Audience: SiteIndex]>([:])
    /// Decimals of coordinates, as exports write them by default.
    let options = OutputOptions()

    /// `tileCacheBytes` bounds the tile cache (`graveatlas serve --cache-mb`).
    public init(store: SiteStore, tileCacheBytes: Int = 64 << 20) {
        self.store = store
        states = StoreStates(store: store)
        // The default tile options always validate.
        tiles = try? TileService(states: states, cacheBytes: tileCacheBytes)
    }

    public func collection(for audience: Audience) throws -> CollectionSummary {
        let state = try states.current()
        return try store.snapshot { snap in
            let index = try self.index(for: audience, state: state, in: snap)
            return CollectionSummary(extent: index.extent, from: index.temporalExtent?.from,
                                     to: index.temporalExtent?.to, count: index.entries.count)
        }
    }

    public func items(_ input: ItemsQueryInput, for audience: Audience) throws -> ItemsPage {
        let query = input.query
        let state = try states.current()
        return try store.snapshot { snap in
            let index = try self.index(for: audience, state: state, in: snap)
            let text = GeoJSONFeatureText(columns: index.columns, options: options)
            var features: [[UInt8]] = []
            var last: PublishedOrder.Key?
            var more = false
            let matches = query.matcher(index)
            try index.entries.forEach(from: try index.position(after: query.cursor)) { entry in
                guard matches(entry) else { return true }
                if features.count == query.limit { more = true; return false }
                if let feature = try self.feature(entry.fid, index: index, text: text, snap: snap) {
                    features.append(feature)
                    last = entry.key
                }
                return true
            }
            var matched = index.entries.count
            if query.filters {
                matched = 0
                try index.entries.forEach { entry in
                    if matches(entry) { matched += 1 }
                    return true
                }
            }
            return ItemsPage(features: features, numberMatched: matched, next: more ? last : nil)
        }
    }

    public func item(id: String, for audience: Audience) throws -> [UInt8]? {
        guard let uuid = UUID(uuidString: id) else { return nil }
        let state = try states.current()
        return try store.snapshot { snap in
            let index = try self.index(for: audience, state: state, in: snap)
            // A withheld site's record is nil, as an unknown one's: the same answer for both.
            guard let fid = try snap.fid(of: uuid) else { return nil }
            return try self.feature(fid, index: index, text: GeoJSONFeatureText(columns: index.columns, options: options),
                                    snap: snap)
        }
    }

    /// The feature of the site at `fid` as the audience sees it (Export's columns decide every
    /// field and the geometry), with the site's events when it is shown exactly; nil when the
    /// columns withhold it.
    private func feature(_ fid: Int64, index: SiteIndex, text: GeoJSONFeatureText, snap: SiteSnapshot) throws -> [UInt8]? {
        guard let listed = try snap.site(fid: fid) else { return nil }
        var record = OutputRecord.empty
        guard try index.columns.fill(&record, for: SiteRow(listed, view: index.policy.view), keepingSite: false) else {
            return nil
        }
        var extra: [(String, JSONValue)] = []
        if record.treatment == .exact {
            let audience = index.policy.view.audience
            let events = try snap.events(site: listed.site.id).map { e in
                // Only the sources the audience may see as they are: the public sees public ones.
                let sources = try e.sources.compactMap { try snap.source(id: $0) }
                    .filter { audience.treatment(of: $0.sensitivity) == .exact }
                return Self.event(e, sources: sources)
            }
            extra.append(("events", .array(events)))
        }
        var bytes: [UInt8] = []
        text.append(record, extra: extra, to: &bytes)
        return bytes
    }

    /// An event as a feature's `events` lists it: type, date (ISO, with its first and last
    /// day), description, and the `sources` given (type, title, reference, date; never an
    /// evidence file's hash).
    static func event(_ e: SiteEvent, sources: [Source] = []) -> JSONValue {
        var members: [JSONObject.Member] = [.init("type", .string(e.type.rawValue))]
        if let date = e.date {
            members.append(.init("date", .string(date.iso)))
            members.append(.init("date_from", .string(date.earliest)))
            members.append(.init("date_to", .string(date.latest)))
        }
        if let d = e.description { members.append(.init("description", .string(d))) }
        if !sources.isEmpty {
            members.append(.init("sources", .array(sources.map { source in
                var s: [JSONObject.Member] = [.init("type", .string(source.type.rawValue)), .init("title", .string(source.title))]
                if let r = source.reference { s.append(.init("reference", .string(r))) }
                if let d = source.date { s.append(.init("date", .string(d.iso))) }
                return .object(JSONObject(s))
            })))
        }
        return .object(JSONObject(members))
    }

    /// The audience's index for the store's state: the kept one when the store has not changed
    /// since, else one built from this snapshot (which began after `state` was found).
    private func index(for audience: Audience, state: StoreState, in snap: SiteSnapshot) throws -> SiteIndex {
        if let kept = indexes.withLock({ $0[audience] }), kept.state == state { return kept }
        let policy = try SafeguardingPolicy(audience: audience, storeGrid: try snap.grid(), cellSize: nil)
        // The columns come from a read of their own; the index is kept only when the store did
        // not change in between (its state is the same after it), so a kept index never pairs
        // one state's sites with another state's columns.
        let columns = try OutputColumns.discover(in: store, view: policy.view, lastEventDate: true)
        let index = try SiteIndex(snapshot: snap, policy: policy, columns: columns, state: state)
        if try states.current() == state { indexes.withLock { $0[audience] = index } }
        return index
    }
}
