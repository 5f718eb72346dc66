import Geometry

/// Reads a GeoPackageBinary geometry blob: the `GP` header (version, flags, srs id,
/// optional envelope) followed by WKB.
///
/// ```swift
/// let decoded = try GeoPackageGeometry.decode(blob)
/// decoded?.geometry   // nil for the header's empty-geometry flag
/// ```
/// - Throws: `GeometryError.invalidWKB` for a bad header or bad WKB.
enum GeoPackageGeometry {
    static func decode(_ blob: [UInt8]) throws -> DecodedWKB? {
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else {
            throw GeometryError.invalidWKB(offset: 0, reason: "not a GeoPackage geometry (no 'GP' magic)")
        }
        let flags = blob[3]
        let envelopeBytes: Int
        switch (flags >> 1) & 0x07 {
        case 0: envelopeBytes = 0
        case 1: envelopeBytes = 32
        case 2, 3: envelopeBytes = 48
        case 4: envelopeBytes = 64
        default: throw GeometryError.invalidWKB(offset: 3, reason: "invalid envelope indicator in the GeoPackage header")
        }
        if flags & 0x10 != 0 { return nil }
        let start = 8 + envelopeBytes
        guard blob.count > start else {
            throw GeometryError.invalidWKB(offset: blob.count, reason: "GeoPackage geometry ends in its header")
        }
        return try Geometry.decodeWKB(blob[start...])
    }
}
