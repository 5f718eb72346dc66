import Foundation
import GRDB
import Geometry

/// Sites in order of their geodesic distance from a point, as one audience sees them: the
/// best-first walk (Hjaltason & Samet) behind `near` and `nearest`.
///
/// ```swift
/// let walk = try NearestWalk(db, memo: memo, filter: filter, view: view, sites: SiteFetch(db))
/// walk.start(at: witness, within: 1_000)
/// while let found = try walk.next() { … }   // (fid, distance, treatment), nearest first
/// ```
/// One priority queue holds R*Tree nodes and unread sites (keyed by a lower bound of their
/// distance, `GeodesicBound`, on boxes grown for the poleward bulge of geodesic edges), the
/// groups and cells of generalised sites (keyed by the bound, then by the exact distance to
/// the published cell centre) and sites whose exact distance is known. The top of the queue
/// is a result when it is a site with its exact distance: nothing left can be nearer. Ties
/// come out in store order (fid): at equal keys the unresolved entries come first.
/// - Sites not exact for the audience are skipped in the R*Tree; the generalised ones come
///   from `AudienceIndex` at their cell centre; withheld ones nowhere.
/// - Wrapped sites (boxes over 180° wide) enter with their exact distance.
/// - Complexity: O((n + m) log m) for n results and m entries touched, which for clustered
///   data is a few nodes per result, never the whole store.
final class NearestWalk {
    private struct Entry {
        enum Kind: UInt8 { case node, site, group, cell, found }
        var key: Double
        var kind: Kind
        /// The box of a node or unread site has been measured exactly from its centre.
        var refined = false
        /// Node number, fid, group or cell index.
        var id: Int64
        /// A node's depth; for a found site 1 when it is generalised.
        var extra: Int32 = 0
        var box = GeodesicBound.world

        /// Queue order: key, then unresolved before found, then fid.
        static func precedes(_ a: Entry, _ b: Entry) -> Bool {
            if a.key != b.key { return a.key < b.key }
            let ra = a.kind == .found ? 1 : 0, rb = b.kind == .found ? 1 : 0
            if ra != rb { return ra < rb }
            return a.id < b.id
        }
    }

    private let db: Database
    private let nodes: RTreeNodes
    private let span: Double
    private let audience: AudienceIndex
    private let generalisedMatch: Bool
    private let wrappedIDs: Set<Int64>
    /// Wrapped sites shown exactly that pass the filter, with their geometry.
    private let wrapped: [(fid: Int64, geometry: Geometry)]
    private let fetch: RawStatement
    /// The whole row of a site that passes the filter, for walks within a radius.
    private let fetchRow: RawStatement
    private let sites: SiteFetch
    private let check: FilterCheck
    private var heap: [Entry] = []
    /// Geometries read lately in this walk (nil: the site fails the filter), for the next
    /// points of a batch.
    private var geometries = RecentlyRead<Geometry?>(capacity: 131_072)
    /// Sites read whole lately by walks within a radius (nil: the site fails the filter):
    /// nearly all of them are results, so their row is read once, not once for the geometry
    /// and again for the result.
    private var whole = RecentlyRead<Site?>(capacity: SiteFetch.kept)
    private var from = GeodesicBound(Position(x: 0, y: 0))
    private var radius = Double.infinity
    private var refinesSites = true
    private var rootDepth = 0

    init(_ db: Database, memo: SpatialMemo, filter: SiteFilter, view: AudienceView, sites: SiteFetch) throws {
        self.db = db
        self.sites = sites
        nodes = memo.nodes
        span = memo.span
        audience = try memo.audiences.index(db, view)
        generalisedMatch = filter.canMatchGeneralised(view)
        let (filterSQL, values) = filter.sqlValues
        let guardSQL = audience.notExact.isEmpty ? ""
            : " AND s.sensitivity IN (\(audience.exactSensitivities.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
        let fetch = try RawStatement(cached: db, "SELECT s.geom FROM sites s WHERE s.fid = ?\(filterSQL)\(guardSQL)")
        self.fetch = fetch
        fetchRow = try RawStatement(cached: db, "\(Site.selectSQL) s WHERE s.fid = ?\(filterSQL)\(guardSQL)")
        for (i, value) in values.enumerated() { fetchRow.bind(Int32(2 + i), value) }
        check = try FilterCheck(db, filter)
        for (i, value) in values.enumerated() { fetch.bind(Int32(2 + i), value) }
        wrappedIDs = Set(memo.wrapped)
        var wrapped: [(Int64, Geometry)] = []
        for fid in memo.wrapped.sorted() where !audience.notExact.contains(fid) {
            fetch.bind(1, fid)
            defer { fetch.reset() }
            guard try fetch.step() else { continue }
            wrapped.append((fid, try Self.decode(fetch, fid: fid)))
        }
        self.wrapped = wrapped
        rootDepth = try memo.nodes.node(1, db).depth
    }

    /// Starts a new walk from `position`, leaving out everything farther than `radius`.
    /// Without a radius (`nearest`) a site waits in the queue under its box's bound, sharpened
    /// before it is read, so a crowded cemetery just beyond the k-th site is not read grave by
    /// grave; within a radius nearly every site in reach is read anyway, so a leaf's sites are
    /// measured when the leaf is opened. With `tree` false the R*Tree is left out: only the
    /// sites drawn across the antimeridian and the generalised ones come (for a caller that
    /// measures the R*Tree's candidates itself, `RTreeReach`).
    func start(at position: Position, within radius: Double = .infinity, tree: Bool = true) {
        heap.removeAll(keepingCapacity: true)
        from = GeodesicBound(position)
        self.radius = radius
        refinesSites = !radius.isFinite
        if tree { push(Entry(key: 0, kind: .node, id: 1, extra: Int32(rootDepth))) }
        for w in wrapped {
            push(Entry(key: Geodesic.wgs84.distance(from: position, to: w.geometry), kind: .found, id: w.fid))
        }
        if generalisedMatch {
            for (i, g) in audience.groups.enumerated() {
                push(Entry(key: from.metres(to: g.box), kind: .group, id: Int64(i)))
            }
        }
    }

    /// The next site, nearest first: its fid, distance (m) and how the audience sees it; nil
    /// when none is left within the radius.
    func next() throws -> (fid: Int64, distance: Double, treatment: Treatment)? {
        while let top = pop() {
            switch top.kind {
            case .found:
                return (top.id, top.key, top.extra == 1 ? .generalised : .exact)
            case .node:
                if try refine(top) { continue }
                let node = try nodes.node(top.id, db)
                let leaf = top.extra == 0
                for (id, box) in zip(node.ids, node.boxes) {
                    if leaf, !audience.isExact(id) || (!wrappedIDs.isEmpty && wrappedIDs.contains(id)) { continue }
                    let grown = GeodesicBound.widened(box, span: span)
                    let bound = from.metres(to: grown, unlessBeyond: radius)
                    guard bound <= radius else { continue }
                    if leaf, !refinesSites {
                        // Within a radius nearly every site whose box is in reach is read
                        // anyway: measure it now rather than queue it twice.
                        guard let geometry = try geometry(id) else { continue }
                        push(Entry(key: Geodesic.wgs84.distance(from: from.position, to: geometry), kind: .found, id: id))
                        continue
                    }
                    push(Entry(key: bound, kind: leaf ? .site : .node, id: id, extra: top.extra - 1, box: grown))
                }
            case .site:
                if refinesSites, try refine(top) { continue }
                guard let geometry = try geometry(top.id) else { continue }
                push(Entry(key: Geodesic.wgs84.distance(from: from.position, to: geometry), kind: .found, id: top.id))
            case .group:
                for c in audience.groups[Int(top.id)].cells {
                    push(Entry(key: Geodesic.wgs84.distance(from.position, audience.cells[c].centre), kind: .cell, id: Int64(c)))
                }
            case .cell:
                for fid in audience.cells[Int(top.id)].fids where try check.passes(fid) {
                    push(Entry(key: top.key, kind: .found, id: fid, extra: 1))
                }
            }
        }
        return nil
    }

    /// A sharper bound for a box small beside its distance, once: the exact distance to its
    /// centre less the farthest its points can be from the centre (along the centre's parallel,
    /// then a meridian, at the largest radius of curvature). Pushes the entry back and returns
    /// true when the bound grew.
    private func refine(_ entry: Entry) throws -> Bool {
        guard !entry.refined, entry.key > 0 else { return false }
        let b = entry.box
        let largest = 6_378_137 / (1 - 0.006_694_379_990_141_317).squareRoot() * (1 + 1e-9)
        let centre = b.center
        let reach = largest * (cos(centre.y * .pi / 180) * (b.maxX - b.minX) / 2 + (b.maxY - b.minY) / 2) * .pi / 180
        guard reach < entry.key * 0.2 else { return false }
        let sharper = Geodesic.wgs84.distance(from.position, centre) - reach - 1e-6
        var again = entry
        again.refined = true
        guard sharper > entry.key else { return false }
        again.key = sharper
        push(again)
        return true
    }

    /// The site this walk read whole (within a radius), nil when it read none or the site
    /// failed the filter: a result's site without a second read.
    func site(_ fid: Int64) -> Site? {
        whole[fid] ?? nil
    }

    /// The site's geometry, nil when it fails the filter (or is not exact for the audience).
    /// Within a radius the whole site is read (and kept for `site(_:)`).
    private func geometry(_ fid: Int64) throws -> Geometry? {
        if !refinesSites {
            if let known = whole[fid] { return known?.geometry }
            fetchRow.bind(1, fid)
            defer { fetchRow.reset() }
            let site = try fetchRow.step() ? try sites.site(on: fetchRow) : nil
            whole.keep(fid, site)
            return site?.geometry
        }
        if let known = geometries[fid] { return known }
        fetch.bind(1, fid)
        defer { fetch.reset() }
        let geometry = try fetch.step() ? try Self.decode(fetch, fid: fid) : nil
        geometries.keep(fid, geometry)
        return geometry
    }

    private static func decode(_ statement: RawStatement, fid: Int64) throws -> Geometry {
        do {
            return try GeoPackageBinary.decode(statement.blob(0) ?? UnsafeRawBufferPointer(start: nil, count: 0))
        } catch let StoreError.invalidGeometryBlob(_, reason) {
            throw StoreError.invalidGeometryBlob(fid: fid, reason: reason)
        }
    }

    // MARK: the queue (a binary heap)

    private func push(_ entry: Entry) {
        guard entry.key <= radius else { return }
        heap.append(entry)
        heap.withUnsafeMutableBufferPointer { h in
            var i = h.count - 1
            let moving = h[i]
            while i > 0 {
                let parent = (i - 1) / 2
                guard Entry.precedes(moving, h[parent]) else { break }
                h[i] = h[parent]
                i = parent
            }
            h[i] = moving
        }
    }

    private func pop() -> Entry? {
        guard let first = heap.first else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap.withUnsafeMutableBufferPointer { h in
            var i = 0
            let count = h.count
            while true {
                let l = 2 * i + 1, r = l + 1
                guard l < count else { break }
                let child = r < count && Entry.precedes(h[r], h[l]) ? r : l
                guard Entry.precedes(h[child], last) else { break }
                h[i] = h[child]
                i = child
            }
            h[i] = last
        }
        return first
    }
}
