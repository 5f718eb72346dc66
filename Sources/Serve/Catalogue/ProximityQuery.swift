import Geometry
import Store

/// The parameters of `/query/near` and `/query/nearest`, checked: a point (`lon`, `lat` in
/// CRS84, west and south negative), the radius and `limit` of near or the `k` of nearest, and
/// the `type`, `status` and `condition` filters as `/collections/sites/items` takes them.
///
/// ```swift
/// let q = try ProximityQuery(near: ["lon": "-3.7", "lat": "40.4", "radius": "5000"])
/// q.kind                                    // .near(radius: 5000, limit: 100)
/// try ProximityQuery(nearest: ["lon": "51.4", "lat": "35.6", "k": "5", "type": "mass_grave"])
/// try ProximityQuery(near: ["lon": "51.4", "lat": "35.6", "radius": "200000"])   // 400: radius …
/// ```
/// A radius is at most `maxRadius` (100 km) and `k` at most `maxK`: one request reads a bounded
/// share of the store.
public struct ProximityQuery: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case near(radius: Double, limit: Int)
        case nearest(k: Int)
    }

    static let maxRadius = 100_000.0
    static let defaultLimit = 100
    static let maxLimit = 10_000
    static let maxK = 1_000

    public var lon: Double
    public var lat: Double
    public var kind: Kind
    var siteType: String?
    var status: String?
    var condition: String?

    static let filters: Set<String> = ["type", "status", "condition"]

    /// `/query/near`: `lon`, `lat`, `radius` (metres), optional `limit` and filters.
    init(near parameters: [String: String]) throws {
        try QueryParameters.only(Self.filters.union(["f", "lon", "lat", "radius", "limit"]), in: parameters)
        let rule = "radius must be a distance in metres greater than 0 and at most \(QueryParameters.figure(Self.maxRadius)) (100 km)"
        guard let text = parameters["radius"] else { throw QueryParameters.refuse(rule + "; it is required") }
        guard let radius = QueryParameters.decimal(text), radius > 0, radius <= Self.maxRadius else {
            throw QueryParameters.refuse(rule + ", not '\(ItemsQuery.clipped(text))'")
        }
        let limit = try QueryParameters.whole("limit", parameters, in: 1...Self.maxLimit, default: Self.defaultLimit)
        try self.init(parameters, kind: .near(radius: radius, limit: limit))
    }

    /// `/query/nearest`: `lon`, `lat`, optional `k` (1 by default) and filters.
    init(nearest parameters: [String: String]) throws {
        try QueryParameters.only(Self.filters.union(["f", "lon", "lat", "k"]), in: parameters)
        let k = try QueryParameters.whole("k", parameters, in: 1...Self.maxK, default: 1)
        try self.init(parameters, kind: .nearest(k: k))
    }

    private init(_ parameters: [String: String], kind: Kind) throws {
        lon = try QueryParameters.number("lon", parameters, in: -180...180, meaning: "degrees of longitude, CRS84; west is negative")
        lat = try QueryParameters.number("lat", parameters, in: -90...90, meaning: "degrees of latitude, CRS84; south is negative")
        self.kind = kind
        siteType = try ItemsQuery.member(parameters["type"], SiteType.self, name: "type")
        status = try ItemsQuery.member(parameters["status"], SiteStatus.self, name: "status")
        condition = try ItemsQuery.member(parameters["condition"], SiteCondition.self, name: "condition")
    }

    public var position: Position { Position(x: lon, y: lat) }

    /// The filters as the store takes them, built as `graveatlas query` builds its own: each
    /// word kept on the field whose filter option names it.
    public var filter: SiteFilter {
        Self.filter(type: siteType, status: status, condition: condition)
    }

    static func filter(type: String?, status: String?, condition: String?) -> SiteFilter {
        var f = SiteFilter()
        let given = ["type": type, "status": status, "condition": condition]
        for field in SiteFields.all {
            guard let option = field.filterOption, let word = given[option] ?? nil else { continue }
            f.keep(field.key, [(try? field.word(word)) ?? word])
        }
        return f
    }
}
