import Foundation
import Geometry
import PostgresNIO
import Store

/// A site found by a proximity query of the PostGIS store.
public struct PostGISMatch: Hashable, Sendable {
    public var site: Site
    /// The site's row key (`fid`), the order of sites at the same distance.
    public var fid: Int64
    /// The exact geodesic distance on the WGS84 ellipsoid (`Geodesic.wgs84`), as the GeoPackage
    /// store measures it: 0 inside a polygon.
    public var distanceM: Double
    /// PostGIS's own distance on its geography (`ST_Distance(…, use_spheroid => true)`).
    public var databaseDistanceM: Double
}

/// `near` and `nearest` in the database, at the `internal` audience (every site exact): the
/// database chooses the candidates with its GiST indexes, the program measures them exactly.
/// Audiences (generalised and withheld sites) are a later step.
extension PostGISStore {
    /// Every site within `radius` metres of `position`, nearest first (ties by `fid`).
    ///
    /// ```swift
    /// let hits = try await store.near(Position(x: 51.5485, y: 35.6), radius: 1_000)
    /// ```
    /// `ST_DWithin` on geography (its GiST index) finds the sites within `radius` plus a
    /// margin, ordered by `ST_Distance` on geography; each is then measured with the same
    /// geodesic as the GeoPackage store and kept when that is within `radius`. PostGIS measures
    /// polygon edges as great-circle arcs (the project: as geodesics), so the margin keeps a site
    /// the two would place on opposite sides of `radius`.
    /// `limit`: the nearest `limit`, and any tied with the last within a millimetre.
    public func near(_ position: Position, radius: Double, limit: Int? = nil) async throws -> [PostGISMatch] {
        guard radius >= 0, radius.isFinite else { return [] }
        let margin = 1 + radius * 1e-6
        let found = try await candidates(position, where: "ST_DWithin(s.geom::geography, q.p::geography, $3)",
                                         order: "ORDER BY database_distance, s.fid", extra: radius + margin)
        return Self.cut(found.filter { $0.distanceM <= radius }, limit: limit)
    }

    /// Exactly the `k` sites nearest to `position` (and any tied with the k-th within a
    /// millimetre), nearest first.
    ///
    /// The GiST index's `<->` (distance in degrees) gives the nearest `k + margin` in the plane;
    /// the k-th of those measured exactly bounds the answer, so every site within that distance
    /// (`ST_DWithin` on geography) is fetched, measured exactly and ranked: exact, whatever the
    /// latitude distorts in degrees.
    public func nearest(_ position: Position, k: Int) async throws -> [PostGISMatch] {
        guard k > 0 else { return [] }
        let first = try await candidates(position, where: "true", order: "ORDER BY s.geom <-> q.p LIMIT $3",
                                         extra: Double(k + max(8, k / 4)))
        let ranked = first.sorted(by: Self.nearerFirst)
        guard ranked.count >= k else { return Self.cut(ranked, limit: k) }
        let bound = ranked[k - 1].distanceM
        let all = try await near(position, radius: bound + ProximitySummary.tolerance)
        return Self.cut(all, limit: k)
    }

    static func nearerFirst(_ a: PostGISMatch, _ b: PostGISMatch) -> Bool {
        a.distanceM != b.distanceM ? a.distanceM < b.distanceM : a.fid < b.fid
    }

    /// `matches` ranked by exact distance, cut after `limit` and any tied with the last.
    static func cut(_ matches: [PostGISMatch], limit: Int?) -> [PostGISMatch] {
        let ranked = matches.sorted(by: nearerFirst)
        guard let limit, ranked.count > limit else { return ranked }
        guard limit > 0 else { return [] }
        let last = ranked[limit - 1].distanceM
        var out = Array(ranked.prefix(limit))
        for match in ranked.dropFirst(limit) {
            guard match.distanceM <= last + ProximitySummary.tolerance else { break }
            out.append(match)
        }
        return out
    }

    /// Sites chosen by `condition` with the query point `q.p` ($1, $2) and `extra` as $3, with
    /// their names, each measured exactly.
    private func candidates(_ position: Position, where condition: String, order: String, extra: Double) async throws -> [PostGISMatch] {
        let table = StoreTable.sites
        let select = table.columns.map { column -> String in
            switch column.kind {
            case .uuid: return "upper(s.\(column.name)::text)"
            case .geometry: return "ST_AsBinary(s.\(column.name), 'NDR')"
            default: return "s.\(column.name)"
            }
        }
        let sql = """
            WITH q AS (SELECT ST_SetSRID(ST_MakePoint($1, $2), 4326) AS p)
            SELECT \(select.joined(separator: ", ")), ST_Distance(s.geom::geography, q.p::geography) AS database_distance
            FROM sites s, q WHERE \(condition) \(order)
            """
        var binds = PostgresBindings()
        binds.append(position.x)
        binds.append(position.y)
        if order.contains("LIMIT") { binds.append(Int64(extra)) } else { binds.append(extra) }
        return try await withConnection { c in
            var found: [(fid: Int64, site: Site, database: Double)] = []
            try await rows(c, sql, binds: binds, what: "find sites near \(position.x), \(position.y)") { row in
                var values: [StoredValue] = []
                values.reserveCapacity(table.columns.count)
                for (index, column) in table.columns.enumerated() {
                    values.append(try value(row[index], column, table: table, key: values.first))
                }
                let site = try Site(stored: values)
                guard case .integer(let fid) = values[0] else { return }
                found.append((fid, site, (try? row[table.columns.count].decode(Double.self)) ?? .nan))
            }
            let names = try await self.names(c, of: found.map(\.site.id))
            return found.map { f in
                var site = f.site
                site.names = names[site.id] ?? []
                return PostGISMatch(site: site, fid: f.fid, distanceM: Geodesic.wgs84.distance(from: position, to: site.geometry),
                                    databaseDistanceM: f.database)
            }
        }
    }

    /// The names of `sites`, in the order they were stored, by site.
    func names(_ c: PostgresConnection, of sites: [UUID]) async throws -> [UUID: [SiteName]] {
        guard !sites.isEmpty else { return [:] }
        var binds = PostgresBindings()
        binds.append(sites)
        var out: [UUID: [SiteName]] = [:]
        try await rows(c, "SELECT site_id, lang, name, direction FROM site_names WHERE site_id = ANY($1) ORDER BY id",
                       binds: binds, what: "read site names") { row in
            let site = try row[0].decode(UUID.self)
            let direction = ScriptDirection(rawValue: try row[3].decode(String.self))
            out[site, default: []].append(SiteName(language: try row[1].decode(String.self), name: try row[2].decode(String.self),
                                                   direction: direction))
        }
        return out
    }
}
