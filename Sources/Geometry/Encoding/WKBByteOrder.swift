/// The byte order of a WKB value: NDR (little-endian, byte 1) or XDR (big-endian, byte 0).
public enum WKBByteOrder: Sendable, Hashable {
    /// NDR, marker byte `1`: what GeoPackage, GEOS and most writers produce.
    case littleEndian
    /// XDR, marker byte `0`.
    case bigEndian

    /// The marker byte that opens every WKB geometry in this order.
    public var marker: UInt8 { self == .littleEndian ? 1 : 0 }
}
