import Geometry
import Store

/// The request of `POST /query/within`, checked: a body that is one GeoJSON Polygon or
/// MultiPolygon in CRS84 (at most `maxBody` bytes, positions within −180…180, −90…90), read as
/// `graveatlas query within --area` reads its file (RFC 7946: edges straight in
/// longitude/latitude, nothing wraps), and the `type`, `status` and `condition` filters.
///
/// ```swift
/// let q = try WithinQuery([:], body: Array(#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51,35]]]}"#.utf8))
/// try WithinQuery([:], body: Array(#"{"type":"Point","coordinates":[51,35]}"#.utf8))   // 400: body must be …
/// ```
public struct WithinQuery: Sendable {
    /// 1 MiB: a larger body is refused with 413 before it is read whole.
    static let maxBody = 1 << 20

    /// The area as the store reads it (cut into hemispheres, see `Geometry.queryArea`).
    public var area: Geometry
    /// The polygon or multipolygon as posted, before the cut into hemispheres.
    let posted: Geometry
    var siteType: String?
    var status: String?
    var condition: String?

    init(_ parameters: [String: String], body: [UInt8]) throws {
        try QueryParameters.only(ProximityQuery.filters.union(["f"]), in: parameters)
        siteType = try ItemsQuery.member(parameters["type"], SiteType.self, name: "type")
        status = try ItemsQuery.member(parameters["status"], SiteStatus.self, name: "status")
        condition = try ItemsQuery.member(parameters["condition"], SiteCondition.self, name: "condition")
        func refuse(_ reason: String) -> ServeError {
            QueryParameters.refuse("body must be a GeoJSON Polygon or MultiPolygon in CRS84: \(reason)")
        }
        let value: JSONValue
        do { value = try JSONValue(parsing: body) } catch { throw refuse("it is not JSON (\(ItemsQuery.clipped("\(error)")))") }
        let type = value["type"]?.stringValue
        guard type == "Polygon" || type == "MultiPolygon" else { throw refuse("its type is \(ItemsQuery.clipped(type ?? "missing"))") }
        let geometry: Geometry
        do { geometry = try Geometry(geoJSON: value) } catch { throw refuse(ItemsQuery.clipped("\(error)")) }
        var outside: Position?
        geometry.forEachPosition { p in
            if outside == nil, !(p.x.isFinite && p.y.isFinite && (-180...180).contains(p.x) && (-90...90).contains(p.y)) { outside = p }
        }
        if let p = outside { throw refuse("(\(p.x), \(p.y)) is not a longitude/latitude") }
        let polygons: [Polygon] = switch geometry {
        case let .polygon(p): [p]
        case let .multiPolygon(m): m.polygons
        default: []
        }
        let area: Geometry?
        do { area = try Geometry.queryArea(polygons) } catch { throw refuse(ItemsQuery.clipped("\(error)")) }
        guard let area else { throw refuse("the area is empty") }
        self.area = area
        posted = geometry
    }

    public var filter: SiteFilter {
        ProximityQuery.filter(type: siteType, status: status, condition: condition)
    }
}
