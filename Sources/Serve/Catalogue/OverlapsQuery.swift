import Geometry
import Store

/// The request of `POST /query/overlaps`, checked: the body and filters of `POST /query/within`
/// (one GeoJSON Polygon or MultiPolygon in CRS84, at most 1 MiB), which must also be a valid
/// polygon (a self-crossing ring has no area to share), and `min_overlap`, the m² an area site
/// must share with it to be listed (default 1, as `graveatlas query overlaps --min-overlap`).
///
/// ```swift
/// let q = try OverlapsQuery(["min_overlap": "500"], body: Array(#"{"type":"Polygon","coordinates":[[[51,35],[52,35],[52,36],[51,35]]]}"#.utf8))
/// try OverlapsQuery([:], body: Array(#"{"type":"Polygon","coordinates":[[[0,0],[2,2],[2,0],[0,2],[0,0]]]}"#.utf8))   // 400: … Self-intersection at 1 1 …
/// ```
public struct OverlapsQuery: Sendable {
    /// The default of `min_overlap`, m²: the command's.
    static let defaultMinOverlap = 1.0
    /// The largest `min_overlap`, m²: more than the ellipsoid's whole surface (5.1 × 10¹⁴ m²).
    static let maxMinOverlap = 1e15

    /// The area and the filters.
    public var region: WithinQuery
    /// Area sites sharing this many m² or less are left out (points never are).
    public var minOverlap: Double

    init(_ parameters: [String: String], body: [UInt8]) throws {
        try QueryParameters.only(ProximityQuery.filters.union(["f", "min_overlap"]), in: parameters)
        minOverlap = parameters["min_overlap"] == nil ? Self.defaultMinOverlap
            : try QueryParameters.number("min_overlap", parameters, in: 0...Self.maxMinOverlap,
                                         meaning: "square metres an area site must share with the posted area")
        var rest = parameters
        rest["min_overlap"] = nil
        region = try WithinQuery(rest, body: body)
        let validity: Validity
        do { validity = try region.posted.validity } catch {
            throw QueryParameters.refuse("body: the area cannot be used: \(ItemsQuery.clipped("\(error)"))")
        }
        guard validity.isValid else {
            var reason = validity.reason ?? "invalid"
            if let at = validity.location { reason += " at \(QueryParameters.figure(at.x)) \(QueryParameters.figure(at.y))" }
            throw QueryParameters.refuse("body must be a GeoJSON Polygon or MultiPolygon in CRS84: it is not a valid polygon "
                + "(\(ItemsQuery.clipped(reason)); `graveatlas geo validate` gives its repair)")
        }
    }
}
