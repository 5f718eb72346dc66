import Geometry
import Store

/// The OpenAPI 3.0 definition of the service (`/api`): every path, parameter and response the
/// routes answer, so that a client (GDAL, schemathesis) can learn the API from it.
///
/// ```swift
/// OpenAPIDocument.make(base: "http://127.0.0.1:8080")["openapi"]   // "3.0.3"
/// ```
/// Parameters carry the same bounds the routes check (`limit` 1…10000, the enumerations of
/// `type`, `status` and `condition`), so the definition and the answers cannot disagree.
enum OpenAPIDocument {
    static func make(base: String) -> JSONValue {
        [
            "openapi": "3.0.3",
            "info": [
                "title": "GraveAtlas", "version": "1.0.0",
                "description": "Mass graves and burial sites as OGC API – Features. No token: the public audience; `Authorization: Bearer TOKEN` for partner or internal.",
            ],
            "servers": [["url": .string(base)]],
            "security": [[:], ["bearer": []]],
            "paths": .object(JSONObject(featurePaths + queryPaths + tilePaths)),
            "components": [
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
                "parameters": [
                    "collectionId": ["name": "collectionId", "in": "path", "required": true,
                                     "schema": ["type": "string", "enum": ["sites"]]],
                    "f": ["name": "f", "in": "query", "required": false,
                          "schema": ["type": "string", "enum": ["json", "geojson", "html"]]],
                    "bbox": ["name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
                             "description": "minlon,minlat,maxlon,maxlat in CRS84",
                             "schema": ["type": "array", "minItems": 4, "maxItems": 4,
                                        "items": ["type": "number", "minimum": -180, "maximum": 180]]],
                    "datetime": ["name": "datetime", "in": "query", "required": false, "style": "form", "explode": false,
                                 "description": "An RFC 3339 date or date-time, or an interval START/END with `..` for an open end",
                                 "schema": ["type": "string"]],
                    "limit": ["name": "limit", "in": "query", "required": false, "style": "form", "explode": false,
                              "schema": ["type": "integer", "minimum": 1, "maximum": .number(Double(ItemsQuery.maxLimit)),
                                         "default": .number(Double(ItemsQuery.defaultLimit))]],
                    "cursor": ["name": "cursor", "in": "query", "required": false,
                               "description": "Where the page starts, as a `next` link gives it", "schema": ["type": "string"]],
                ],
                "schemas": [
                    "exception": ["type": "object", "required": ["code"],
                                  "properties": ["code": ["type": "string"], "description": ["type": "string"]]],
                ],
                "responses": [
                    "error": ["description": "An OGC exception", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/exception"]]]],
                ],
            ],
        ]
    }

    static let errorRef: JSONValue = ["$ref": "#/components/responses/error"]

    /// The paths of OGC API – Features Core.
    static var featurePaths: [JSONObject.Member] {
        [
            path("/", "getLandingPage", "The landing page", json: true, html: true),
            path("/conformance", "getConformance", "The conformance classes", json: true),
            .init("/api", ["get": [
                "operationId": "getAPI", "summary": "This API definition",
                "responses": ["200": ["description": "The OpenAPI definition",
                                      "content": ["application/vnd.oai.openapi+json;version=3.0": ["schema": ["type": "object"]]]]],
            ]]),
            path("/collections", "getCollections", "The collections", json: true),
            .init("/collections/{collectionId}", ["get": [
                "operationId": "describeCollection", "summary": "The sites collection",
                "parameters": [["$ref": "#/components/parameters/collectionId"], ["$ref": "#/components/parameters/f"]],
                "responses": ["200": jsonResponse("The collection"), "400": errorRef, "404": errorRef],
            ]]),
            .init("/collections/{collectionId}/items", ["get": [
                "operationId": "getFeatures", "summary": "Sites, a page at a time",
                "parameters": .array([
                    ["$ref": "#/components/parameters/collectionId"], ["$ref": "#/components/parameters/f"],
                    ["$ref": "#/components/parameters/bbox"], ["$ref": "#/components/parameters/datetime"],
                    ["$ref": "#/components/parameters/limit"], ["$ref": "#/components/parameters/cursor"],
                    enumParameter("type", SiteType.allowed), enumParameter("status", SiteStatus.allowed),
                    enumParameter("condition", SiteCondition.allowed),
                ]),
                "responses": ["200": geoJSONResponse("A FeatureCollection with links to the next page"),
                              "400": errorRef, "401": errorRef, "404": errorRef, "429": errorRef],
            ]]),
            .init("/collections/{collectionId}/items/{featureId}", ["get": [
                "operationId": "getFeature", "summary": "One site",
                "parameters": [["$ref": "#/components/parameters/collectionId"], ["$ref": "#/components/parameters/f"],
                               ["name": "featureId", "in": "path", "required": true, "schema": ["type": "string"]]],
                "responses": ["200": geoJSONResponse("A Feature"), "400": errorRef, "401": errorRef, "404": errorRef],
            ]]),
        ]
    }

    /// `/healthz`, `/metrics`, `/query/near`, `/query/nearest`, `/query/within`, `/query/overlaps` and
    /// `/search`, with the bounds `ProximityQuery`, `OverlapsQuery` and `SearchQuery` check.
    static var queryPaths: [JSONObject.Member] {
        let filters: [JSONValue] = [
            enumParameter("type", SiteType.allowed), enumParameter("status", SiteStatus.allowed),
            enumParameter("condition", SiteCondition.allowed),
        ]
        let f: JSONValue = ["name": "f", "in": "query", "required": false, "schema": ["type": "string", "enum": ["json", "geojson"]]]
        let lon = numberParameter("lon", -180, 180, "Longitude of the point, degrees (CRS84); west is negative")
        let lat = numberParameter("lat", -90, 90, "Latitude of the point, degrees (CRS84); south is negative")
        let answers: JSONValue = ["200": geoJSONResponse("A FeatureCollection, nearest (or best) first, each feature as `graveatlas query … --format geojson` writes it"),
                                  "400": errorRef, "401": errorRef, "429": errorRef]
        return [
            .init("/healthz", ["get": [
                "operationId": "getHealth", "summary": "Whether the server can read its store",
                "responses": ["200": ["description": "The store can be read",
                                      "content": ["application/json": ["schema": [
                                          "type": "object", "required": ["status"],
                                          "properties": ["status": ["type": "string", "enum": ["ok"]]]]]]],
                              "503": errorRef],
            ]]),
            .init("/metrics", ["get": [
                "operationId": "getMetrics",
                "summary": "Operations metrics in Prometheus text format, for the internal audience only (they tell when the store changes)",
                "security": [["bearer": []]],
                "responses": ["200": ["description": "Requests by route pattern and status, their latency, the tile cache, the store's change mark",
                                      "content": ["text/plain": ["schema": ["type": "string"]]]],
                              "400": errorRef, "401": errorRef, "403": errorRef, "429": errorRef],
            ]]),
            .init("/query/near", ["get": [
                "operationId": "queryNear",
                "summary": "Sites within a radius of a point, nearest first, with distance_m (measured from what the audience may see)",
                "parameters": .array([f, lon, lat,
                    ["name": "radius", "in": "query", "required": true,
                     "description": "Radius in metres: greater than 0, at most 100 km (100000)",
                     "schema": ["type": "number", "minimum": 0, "exclusiveMinimum": true,
                                "maximum": .number(ProximityQuery.maxRadius)]],
                    integerParameter("limit", 1, ProximityQuery.maxLimit, ProximityQuery.defaultLimit,
                                     "At most this many sites (and any tied with the last of them)"),
                ] + filters),
                "responses": answers,
            ]]),
            .init("/query/nearest", ["get": [
                "operationId": "queryNearest", "summary": "The k sites nearest to a point, whatever their distance, with distance_m",
                "parameters": .array([f, lon, lat,
                    integerParameter("k", 1, ProximityQuery.maxK, 1, "How many sites (and any tied with the k-th)"),
                ] + filters),
                "responses": answers,
            ]]),
            .init("/query/within", ["post": [
                "operationId": "queryWithin", "summary": "Sites inside or touching an area (edges straight in longitude/latitude, as RFC 7946 draws them)",
                "parameters": .array([f] + filters),
                "requestBody": ["required": true,
                                "description": "A GeoJSON Polygon or MultiPolygon in CRS84, at most 1 MiB (1048576 bytes); larger bodies get 413",
                                "content": ["application/geo+json": ["schema": areaSchema], "application/json": ["schema": areaSchema]]],
                "responses": ["200": geoJSONResponse("A FeatureCollection of the sites, each as `graveatlas query within --format geojson` writes it"),
                              "400": errorRef, "401": errorRef, "413": errorRef, "429": errorRef],
            ]]),
            .init("/query/overlaps", ["post": [
                "operationId": "queryOverlaps",
                "summary": "Sites inside, touching or overlapping an area (a construction zone), largest overlap first, with contact, overlap_m2, share_site and share_area; a generalised site counts as its published cell centre, with figures 0",
                "parameters": .array([f,
                    ["name": "min_overlap", "in": "query", "required": false,
                     "description": "Square metres an area site must share with the area to be listed (points are listed inside or touching whatever it is)",
                     "schema": ["type": "number", "minimum": 0, "maximum": .number(OverlapsQuery.maxMinOverlap),
                                "default": .number(OverlapsQuery.defaultMinOverlap)]],
                ] + filters),
                "requestBody": ["required": true,
                                "description": "A valid GeoJSON Polygon or MultiPolygon in CRS84 (no ring crossing itself), at most 1 MiB (1048576 bytes); larger bodies get 413",
                                "content": ["application/geo+json": ["schema": areaSchema], "application/json": ["schema": areaSchema]]],
                "responses": ["200": geoJSONResponse("A FeatureCollection of the sites, each as `graveatlas query overlaps --area --format geojson` writes it"),
                              "400": errorRef, "401": errorRef, "413": errorRef, "429": errorRef],
            ]]),
            .init("/search", ["get": [
                "operationId": "search",
                "summary": "Sites whose names, description or (for partner and internal) source attributes hold every word",
                "parameters": [f,
                    ["name": "q", "in": "query", "required": true, "description": "The words; a trailing * matches a prefix",
                     "schema": ["type": "string", "minLength": 1, "maxLength": .number(Double(SearchQuery.maxText))]],
                    integerParameter("limit", 1, SearchQuery.maxLimit, SearchQuery.defaultLimit, "At most this many sites"),
                ],
                "responses": answers,
            ]]),
        ]
    }

    /// The vector tiles and what a map needs to show them (`TileRoutes`).
    static var tilePaths: [JSONObject.Member] {
        func coordinate(_ name: String, _ maximum: Int, _ description: String) -> JSONValue {
            ["name": .string(name), "in": "path", "required": true, "description": .string(description),
             "schema": ["type": "integer", "minimum": 0, "maximum": .number(Double(maximum))]]
        }
        let cache = "`ETag` and `Cache-Control` (public at public, private for any other audience)"
        return [
            .init("/tiles/{z}/{x}/{y}.mvt", ["get": [
                "operationId": "getTile",
                "summary": "A Mapbox Vector Tile (2.1) of the sites the audience sees, as `graveatlas export tiles` cuts it: clusters below the maximum zoom, every site at it",
                "parameters": [
                    coordinate("z", 24, "Zoom, 0…24; beyond the tile set's maximum zoom (14) the answer is 404"),
                    coordinate("x", (1 << 24) - 1, "Column from the west, 0…2^z−1"),
                    coordinate("y", (1 << 24) - 1, "Row from the north, 0…2^z−1"),
                ],
                "responses": [
                    "200": ["description": .string("The tile, gzipped when the request accepts gzip; \(cache)"),
                            "content": ["application/vnd.mapbox-vector-tile": ["schema": ["type": "string", "format": "binary"]]]],
                    "204": ["description": "Nothing is drawn in this tile"],
                    "304": ["description": "The tile named by `If-None-Match` has not changed"],
                    "400": errorRef, "401": errorRef, "404": errorRef, "429": errorRef,
                ],
            ]]),
            path("/tiles.json", "getTileJSON", "TileJSON 3.0 of the tiles, with absolute URLs", json: true),
            path("/style.json", "getStyle", "A MapLibre style of the tiles: sites coloured by condition, clusters sized by count, no text", json: true),
        ]
    }

    static let areaSchema: JSONValue = [
        "type": "object", "required": ["type", "coordinates"],
        "properties": ["type": ["type": "string", "enum": ["Polygon", "MultiPolygon"]], "coordinates": ["type": "array"]],
    ]

    static func numberParameter(_ name: String, _ minimum: Double, _ maximum: Double, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": true, "description": .string(description),
         "schema": ["type": "number", "minimum": .number(minimum), "maximum": .number(maximum)]]
    }

    static func integerParameter(_ name: String, _ minimum: Int, _ maximum: Int, _ fallback: Int, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description),
         "schema": ["type": "integer", "minimum": .number(Double(minimum)), "maximum": .number(Double(maximum)),
                    "default": .number(Double(fallback))]]
    }

    static func path(_ path: String, _ id: String, _ summary: String, json: Bool, html: Bool = false) -> JSONObject.Member {
        var content: [JSONObject.Member] = [.init("application/json", ["schema": ["type": "object"]])]
        if html { content.append(.init("text/html", ["schema": ["type": "string"]])) }
        return .init(path, ["get": [
            "operationId": .string(id), "summary": .string(summary),
            "parameters": [["$ref": "#/components/parameters/f"]],
            "responses": ["200": ["description": .string(summary), "content": .object(JSONObject(content))], "400": errorRef],
        ]])
    }

    static func jsonResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": ["type": "object"]]]]
    }

    static func geoJSONResponse(_ description: String) -> JSONValue {
        ["description": .string(description), "content": ["application/geo+json": ["schema": ["type": "object"]]]]
    }

    static func enumParameter(_ name: String, _ values: [String]) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false,
         "schema": ["type": "string", "enum": .array(values.map { .string($0) })]]
    }
}
