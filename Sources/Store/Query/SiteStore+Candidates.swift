import Foundation
import GRDB
import Geometry

/// The R*Tree prefilter shared by the queries: sites whose index box meets any of a set of
/// boxes, plus every site whose box spans more than 180° of longitude (a site drawn across
/// the antimeridian, whose true extent its box does not describe).
extension SiteStore {
    struct Candidate {
        var fid: Int64
        var geometry: Geometry
    }

    static func candidates(_ db: Database, boxes: [BoundingBox], filter: SiteFilter) throws -> [Candidate] {
        let (filterSQL, filterArguments) = filter.sql
        let boxSQL = boxes.map { _ in
            "SELECT id FROM rtree_sites_geom WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
        }
        let sql = """
            SELECT s.fid, s.geom FROM sites s WHERE s.fid IN (
              \((boxSQL + ["SELECT id FROM rtree_sites_geom WHERE minx <= 0 AND maxx >= 0 AND maxx - minx > 180"]).joined(separator: " UNION ALL "))
            )\(filterSQL)
            """
        var arguments = StatementArguments()
        for b in boxes { arguments += [b.maxX, b.minX, b.maxY, b.minY] }
        arguments += filterArguments
        let statement = try db.cachedStatement(sql: sql)
        var out: [Candidate] = []
        let rows = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try rows.next() {
            let fid: Int64 = row[0]
            let blob: [UInt8] = try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } } ?? []
            do {
                out.append(Candidate(fid: fid, geometry: try GeoPackageBinary.decode(blob)))
            } catch let StoreError.invalidGeometryBlob(_, reason) {
                throw StoreError.invalidGeometryBlob(fid: fid, reason: reason)
            }
        }
        return out
    }

    /// The widest longitude span of any stored site narrower than 180° (0 for points only);
    /// see `SearchRegion.bulge`.
    static func maximumSpan(_ db: Database) throws -> Double {
        try Double.fetchOne(db, sql: "SELECT CAST(value AS REAL) FROM store_metadata WHERE key = 'max_lon_span'") ?? 0
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
        let statement = try db.cachedStatement(sql: Site.selectSQL + " WHERE fid = ?")
        var out: [Int64: Site] = [:]
        for fid in Set(fids) {
            guard let row = try Row.fetchOne(statement, arguments: [fid]) else { continue }
            out[fid] = try Site(row: row)
        }
        let names = try Self.names(db, siteIDs: out.values.map(\.id.uuidString))
        for (fid, site) in out { out[fid]?.names = names[site.id.uuidString] ?? [] }
        return out
    }
}
