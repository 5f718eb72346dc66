import Geometry
import Store

/// The JSON documents of OGC API – Features Part 1 Core (landing page, conformance, collections),
/// with its field names and link relations; links are absolute, made from the request's base URL.
///
/// ```swift
/// OGCDocuments(base: "http://127.0.0.1:8080").landing()
/// // {"title":"GraveAtlas","description":…,"links":[{"href":"http://127.0.0.1:8080/","rel":"self",…},…]}
/// ```
struct OGCDocuments: Sendable {
    /// `http://host:port`, no trailing slash.
    let base: String

    static let collectionID = "sites"
    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    static let conformanceClasses = [
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    ]

    static func link(_ href: String, _ rel: String, _ type: String, _ title: String? = nil) -> JSONValue {
        var members: [JSONObject.Member] = [
            .init("href", .string(href)), .init("rel", .string(rel)),
            .init("type", .string(type)),
        ]
        if let title { members.append(.init("title", .string(title))) }
        return .object(JSONObject(members))
    }

    func landing() -> JSONValue {
        [
            "title": "GraveAtlas",
            "description": "Mass graves and burial sites, as the audience of the request may see them (OGC API – Features).",
            "links": [
                Self.link(base + "/", "self", "application/json", "This document"),
                Self.link(base + "/?f=html", "alternate", "text/html", "This document as HTML"),
                Self.link(base + "/api", "service-desc", "application/vnd.oai.openapi+json;version=3.0", "The API definition"),
                Self.link(base + "/conformance", "conformance", "application/json", "Conformance classes"),
                Self.link(base + "/collections", "data", "application/json", "The collections"),
                Self.link(base + "/search", "search", "application/geo+json", "Sites by their words (q=…)"),
                Self.link(base + "/query/near", "related", "application/geo+json",
                          "Sites within a radius of a point, nearest first (lon=…&lat=…&radius=…)"),
                Self.link(base + "/query/nearest", "related", "application/geo+json",
                          "The k sites nearest to a point (lon=…&lat=…&k=…)"),
                Self.link(base + "/healthz", "status", "application/json", "Whether the server can read its store"),
            ],
        ]
    }

    func conformance() -> JSONValue {
        ["conformsTo": .array(Self.conformanceClasses.map { .string($0) })]
    }

    func collections(_ summary: CollectionSummary) -> JSONValue {
        [
            "links": [Self.link(base + "/collections", "self", "application/json", "The collections")],
            "collections": [collection(summary)],
        ]
    }

    func collection(_ summary: CollectionSummary) -> JSONValue {
        let url = base + "/collections/" + Self.collectionID
        var spatial: JSONValue = ["crs": .string(Self.crs84)]
        if let box = summary.extent {
            spatial = ["bbox": [[.number(box.minX), .number(box.minY), .number(box.maxX), .number(box.maxY)]],
                       "crs": .string(Self.crs84)]
        }
        let interval: JSONValue = [[
            summary.from.map { .string($0 + "T00:00:00Z") } ?? .null,
            summary.to.map { .string($0 + "T23:59:59Z") } ?? .null,
        ]]
        return [
            "id": .string(Self.collectionID),
            "title": "Sites",
            "description": "Mass graves, graves, cemeteries, execution sites and memorials. Restricted sites appear at the centre of their grid cell (generalised: true) where the audience may not see them exactly; confidential ones not at all.",
            "itemType": "feature",
            "crs": [.string(Self.crs84)],
            "extent": ["spatial": spatial, "temporal": ["interval": interval, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"]],
            "links": [
                Self.link(url, "self", "application/json", "This collection"),
                Self.link(url + "/items", "items", "application/geo+json", "The sites"),
            ],
        ]
    }
}
