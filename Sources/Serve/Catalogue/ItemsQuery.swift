import Export
import Foundation
import Geometry
import Store

/// The parameters of `/collections/sites/items`, checked: every value is in range or the
/// request is refused with 400 naming the parameter, and a parameter the endpoint does not know
/// is refused too (OGC API – Features allows it; a typo then does not silently match all).
///
/// ```swift
/// let q = try ItemsQuery(["bbox": "44,25,63,40", "limit": "10", "type": "mass_grave"])
/// q.bbox?.minX   // 44
/// try ItemsQuery(["limit": "0"])         // 400: limit must be 1…10000
/// try ItemsQuery(["bbox": "10,0,5,1"])   // 400: minlon is greater than maxlon
/// ```
struct ItemsQuery: Sendable, Equatable {
    static let defaultLimit = 100
    static let maxLimit = 10_000
    /// Every parameter the endpoint takes.
    static let known: Set<String> = ["f", "bbox", "datetime", "limit", "type", "status", "condition", "cursor"]

    var bbox: BoundingBox?
    var datetime: DateTimeFilter?
    var limit = defaultLimit
    var siteType: String?
    var status: String?
    var condition: String?
    /// Where the page starts: after this key (from a `next` link).
    var cursor: PublishedOrder.Key?

    init(_ parameters: [String: String]) throws {
        for name in parameters.keys.sorted() where !Self.known.contains(name) {
            throw ServeError.badRequest("InvalidParameterValue",
                "unknown query parameter '\(Self.clipped(name))'; this endpoint takes \(Self.known.sorted().joined(separator: ", "))")
        }
        if let f = parameters["f"], !["json", "geojson"].contains(f) {
            throw ServeError.badRequest("InvalidParameterValue", "f: items are GeoJSON (f=json or f=geojson), not '\(Self.clipped(f))'")
        }
        if let text = parameters["bbox"] { bbox = try Self.box(text) }
        if let text = parameters["datetime"] { datetime = try DateTimeFilter(text) }
        if let text = parameters["limit"] {
            guard let n = Int(text), (1...Self.maxLimit).contains(n) else {
                throw ServeError.badRequest("InvalidParameterValue",
                                            "limit must be a whole number from 1 to \(Self.maxLimit), not '\(Self.clipped(text))'")
            }
            limit = n
        }
        siteType = try Self.member(parameters["type"], SiteType.self, name: "type")
        status = try Self.member(parameters["status"], SiteStatus.self, name: "status")
        condition = try Self.member(parameters["condition"], SiteCondition.self, name: "condition")
        if let text = parameters["cursor"] { cursor = try Self.key(text) }
    }

    /// The test of an index's entries against the filters (the cursor aside): the filters'
    /// values turned into the index's codes once, not once per entry.
    func matcher(_ index: SiteIndex) -> (SiteIndex.Entry) -> Bool {
        let siteType = SiteIndex.code(siteType, SiteType.self), status = SiteIndex.code(status, SiteStatus.self)
        let condition = SiteIndex.code(condition, SiteCondition.self), bbox = bbox, datetime = datetime
        return { e in
            if let siteType, e.siteType != siteType { return false }
            if let status, e.status != status { return false }
            if let condition, e.condition != condition { return false }
            if let bbox, !e.box.intersects(bbox) { return false }
            if let datetime {
                guard let span = index.span(e), datetime.overlaps(from: span.from, to: span.to) else { return false }
            }
            return true
        }
    }

    /// Whether any filter is set (otherwise every entry matches).
    var filters: Bool { siteType != nil || status != nil || condition != nil || bbox != nil || datetime != nil }

    /// The parameters of the page after `key`, for the `next` link (the filters kept).
    func parameters(after key: PublishedOrder.Key, original: [String: String]) -> [(String, String)] {
        var out = original.filter { $0.key != "cursor" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        out.append(("cursor", Self.text(of: key)))
        return out
    }

    /// A key as the `cursor` parameter: `ROW_COLUMN_HASH` (the published cell, shown anyway, and
    /// the salted hash, which says nothing).
    static func text(of key: PublishedOrder.Key) -> String {
        "\(key.row)_\(key.column)_" + String(key.hash, radix: 16)
    }

    static func key(_ text: String) throws -> PublishedOrder.Key {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, let row = Int64(parts[0]), let column = Int64(parts[1]),
              parts[2].count <= 16, let hash = UInt64(parts[2], radix: 16) else {
            throw ServeError.badRequest("InvalidParameterValue", "cursor '\(clipped(text))' is not one this server gave")
        }
        return PublishedOrder.Key(cellRow: row, cellColumn: column, hash: hash)
    }

    /// `minlon,minlat,maxlon,maxlat` within the world, not reversed.
    static func box(_ text: String) throws -> BoundingBox {
        func refuse(_ reason: String) -> ServeError {
            .badRequest("InvalidParameterValue", "bbox '\(clipped(text))': \(reason)")
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 4 else { throw refuse("give 4 numbers minlon,minlat,maxlon,maxlat (CRS84)") }
        let v = try parts.map { part -> Double in
            guard let d = Double(part.trimmingCharacters(in: .whitespaces)), d.isFinite else {
                throw refuse("'\(clipped(String(part)))' is not a finite number")
            }
            return d
        }
        guard (-180...180).contains(v[0]), (-180...180).contains(v[2]) else { throw refuse("longitudes must be within -180…180") }
        guard (-90...90).contains(v[1]), (-90...90).contains(v[3]) else { throw refuse("latitudes must be within -90…90") }
        guard v[0] <= v[2] else { throw refuse("minlon is greater than maxlon (a box across the antimeridian is not taken)") }
        guard v[1] <= v[3] else { throw refuse("minlat is greater than maxlat") }
        return BoundingBox(minX: v[0], minY: v[1], maxX: v[2], maxY: v[3])
    }

    static func member<E: StoreEnumeration>(_ text: String?, _ type: E.Type, name: String) throws -> String? {
        guard let text else { return nil }
        guard E(rawValue: text) != nil else {
            throw ServeError.badRequest("InvalidParameterValue",
                                        "\(name) must be one of \(E.allowed.joined(separator: ", ")), not '\(clipped(text))'")
        }
        return text
    }

    /// A value as an error message quotes it: at most 80 characters.
    static func clipped(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(80)) + "…"
    }
}
