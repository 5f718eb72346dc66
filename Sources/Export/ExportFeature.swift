import Geometry

/// One site as every writer sees it: a stable id, a geometry in EPSG:4326 and ordered fields.
///
/// ```swift
/// let f = ExportFeature(siteID: "6f1c…", geometry: .point(try Point(x: 51.389, y: 35.689)),
///                       properties: [("name", "Khavaran"), ("name:fa", "خاوران")])
/// f.tileID   // the same UInt64 in every export of this site
/// ```
/// Properties keep their order (writers emit them as given); a key appears at most once, later
/// duplicates are ignored by `value(for:)` but kept for the writer to decide.
public struct ExportFeature: Hashable, Sendable {
    /// The site's own id (a UUID string in the store).
    public var siteID: String
    /// A stable numeric id for formats that need one (MVT): a hash of `siteID` unless set.
    public var tileID: UInt64
    /// Longitude, latitude (EPSG:4326).
    public var geometry: Geometry
    public var properties: [Property]

    public typealias Property = KeyValue<PropertyValue>

    public init(siteID: String, tileID: UInt64? = nil, geometry: Geometry, properties: [(String, PropertyValue)] = []) {
        self.siteID = siteID
        self.tileID = tileID ?? ExportFeature.stableID(siteID)
        self.geometry = geometry
        self.properties = properties.map { Property($0.0, $0.1) }
    }

    /// The first value under `key`, if any.
    public func value(for key: String) -> PropertyValue? {
        properties.first { $0.key == key }?.value
    }

    /// Sets `key` to `value`, replacing the first existing entry or appending.
    public mutating func set(_ key: String, _ value: PropertyValue) {
        if let i = properties.firstIndex(where: { $0.key == key }) {
            properties[i].value = value
        } else {
            properties.append(Property(key, value))
        }
    }

    /// 64-bit FNV-1a of the id's UTF-8 bytes, kept below 2^53 so JavaScript maps read it exactly.
    /// Not a hash that proves anything (swift-crypto's SHA-256 does that): a feature number that
    /// the web map's script (`gaTileID` in web/sites.js) computes the same way, with no crypto
    /// API, in any page however it is served.
    ///
    /// - Complexity: O(n) in the length of the id.
    public static func stableID(_ siteID: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in siteID.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash & ((1 << 53) - 1)
    }
}
