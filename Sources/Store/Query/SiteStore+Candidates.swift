import Foundation
import GRDB
import Geometry

/// The R*Tree prefilter of the area queries: sites whose index box meets any of a set of
/// boxes, plus every site whose box spans more than 180° of longitude (a site drawn across
/// the antimeridian, whose true extent its box does not describe).
extension SiteStore {
    struct Candidate {
        var fid: Int64
        var geometry: Geometry
    }

    /// Sites whose index box spans more than 180° of longitude (drawn across the antimeridian):
    /// candidates for every query, since their box does not say where they are.
    static func wrappedSites(_ db: Database) throws -> [Int64] {
        let select = try RawStatement(cached: db, """
            SELECT id FROM rtree_sites_geom WHERE minx <= 0 AND maxx >= 0 AND maxx - minx > 180
            """)
        var fids: [Int64] = []
        while try select.step() { fids.append(select.int64(0)) }
        return fids
    }

    /// The widest longitude span of any stored site narrower than 180° (0 for points only);
    /// see `GeodesicBound.widened`.
    static func maximumSpan(_ db: Database) throws -> Double {
        let select = try RawStatement(cached: db, "SELECT CAST(value AS REAL) FROM store_metadata WHERE key = 'max_lon_span'")
        return try select.step() ? select.double(0) ?? 0 : 0
    }

    /// Records the longitude span of newly written geometries.
    static func widenSpan(_ db: Database, _ span: Double) throws {
        guard span > 0, span <= 180 else { return }
        try db.execute(sql: """
            INSERT INTO store_metadata (key, value) VALUES ('max_lon_span', ?1)
            ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS REAL), ?1)
            """, arguments: [span])
    }

    /// Full sites (names included) for the given fids, keyed by fid.
    static func sites(_ db: Database, fids: [Int64]) throws -> [Int64: Site] {
        guard !fids.isEmpty else { return [:] }
        let select = try RawStatement(cached: db, Site.selectSQL + " WHERE fid = ?")
        let uuidColumn = Int32(Site.columnIndex["uuid"] ?? 0)
        var out: [Int64: Site] = [:]
        for fid in Set(fids) {
            select.bind(1, fid)
            defer { select.reset() }
            guard try select.step() else { continue }
            var site = try Site(statement: select)
            site.names = try Self.names(db, storedID: select.text(uuidColumn))
            out[fid] = site
        }
        return out
    }
}

/// What the spatial queries read before every search — the widest longitude span of a site
/// and the sites drawn across the antimeridian — remembered on a read connection until the
/// file changes (SQLite's `data_version`, which moves whenever another connection commits).
/// Reading them again cost about a fifth of a one-point `near` call. The R*Tree nodes the
/// best-first walk read and each audience's index are kept with them.
struct SpatialMemo {
    let dataVersion: Int64
    let span: Double
    let wrapped: [Int64]
    let nodes = RTreeNodes()
    let audiences = AudienceIndexes()

    /// The memo for the current read transaction: `memo` when the file has not changed since
    /// it was made, else read again (and kept in `memo`).
    static func current(_ db: Database, _ memo: inout SpatialMemo?) throws -> SpatialMemo {
        let select = try RawStatement(cached: db, "PRAGMA data_version")
        let version = try select.step() ? select.int64(0) : -1
        if let memo, memo.dataVersion == version { return memo }
        let fresh = SpatialMemo(dataVersion: version, span: try SiteStore.maximumSpan(db), wrapped: try SiteStore.wrappedSites(db))
        memo = fresh
        return fresh
    }
}

/// The prefilter of `within` and `overlaps with an area`, its statements prepared once: one
/// join per box driven by the R*Tree (no temporary table), then the wrapped sites; rows read
/// through SQLite's C API, geometries decoded where SQLite holds them.
final class CandidateSearch {
    private let search: RawStatement
    private let fetch: RawStatement
    private let filterValues: [DatabaseValue]
    private let wrapped: [Int64]

    init(_ db: Database, filter: SiteFilter, wrapped: [Int64]? = nil) throws {
        let (filterSQL, values) = filter.sqlValues
        search = try RawStatement(cached: db, """
            SELECT r.id, s.geom FROM rtree_sites_geom r JOIN sites s ON s.fid = r.id
            WHERE r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?\(filterSQL)
            """)
        fetch = try RawStatement(cached: db, "SELECT s.fid, s.geom FROM sites s WHERE s.fid = ?\(filterSQL)")
        filterValues = values
        self.wrapped = try wrapped ?? SiteStore.wrappedSites(db)
        for (i, value) in values.enumerated() {
            search.bind(Int32(5 + i), value)
            fetch.bind(Int32(2 + i), value)
        }
    }

    /// Hands `body` each site whose index box meets any of `boxes`, then the wrapped sites,
    /// each once (memory: the fids seen, not the geometries).
    func forEachCandidate(_ boxes: [BoundingBox], _ body: (SiteStore.Candidate) throws -> Void) throws {
        var seen = Set<Int64>()
        func collect(_ statement: RawStatement) throws {
            defer { statement.reset() }
            while try statement.step() {
                let fid = statement.int64(0)
                guard seen.insert(fid).inserted else { continue }
                let geometry: Geometry
                do {
                    geometry = try GeoPackageBinary.decode(statement.blob(1) ?? UnsafeRawBufferPointer(start: nil, count: 0))
                } catch let StoreError.invalidGeometryBlob(_, reason) {
                    throw StoreError.invalidGeometryBlob(fid: fid, reason: reason)
                }
                try body(SiteStore.Candidate(fid: fid, geometry: geometry))
            }
        }
        for b in boxes {
            search.bind(1, b.maxX)
            search.bind(2, b.minX)
            search.bind(3, b.maxY)
            search.bind(4, b.minY)
            try collect(search)
        }
        for fid in wrapped where !seen.contains(fid) {
            fetch.bind(1, fid)
            try collect(fetch)
        }
    }
}
