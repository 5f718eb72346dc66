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
            "paths": .object(JSONObject([
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
            ])),
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
