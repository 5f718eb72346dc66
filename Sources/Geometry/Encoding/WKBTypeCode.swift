/// A WKB geometry type word taken apart: ISO codes (`1001` = Point Z, `2001` = Point M,
/// `3001` = Point ZM) and extended/EWKB flags (`0x80000000` Z, `0x40000000` M,
/// `0x20000000` SRID follows) are both understood, alone or together.
public struct WKBTypeCode: Sendable, Hashable {
    /// The OGC base type, 1 (Point) … 7 (GeometryCollection).
    public let baseType: UInt32
    public let hasZ: Bool
    public let hasM: Bool
    /// An EWKB SRID (4 bytes) follows the type word.
    public let hasSRID: Bool

    /// Splits a raw type word; nil when it names a type GraveAtlas does not read
    /// (curves, surfaces, TIN) or an unknown dimension block.
    public init?(rawValue: UInt32) {
        let flags = rawValue & 0xF000_0000
        let code = rawValue & 0x0FFF_FFFF
        let block = code / 1000
        let base = code % 1000
        guard (1...7).contains(base), block <= 3, rawValue & 0x1000_0000 == 0 else { return nil }
        baseType = base
        hasZ = flags & 0x8000_0000 != 0 || block == 1 || block == 3
        hasM = flags & 0x4000_0000 != 0 || block == 2 || block == 3
        hasSRID = flags & 0x2000_0000 != 0
    }

    /// Coordinates per position: 2, 3 or 4.
    public var dimensions: Int { 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0) }
}
