/// The header of a GeoPackageBinary geometry blob: magic `GP`, version, flags, srs id and
/// envelope, read without touching the WKB that follows.
///
/// ```swift
/// let header = try GeoPackageBlobHeader(blob: buffer)   // buffer: UnsafeRawBufferPointer
/// header.srsID          // 4326
/// header.envelope?.minX // nil when the writer left the envelope out (as GDAL does for points)
/// header.wkbOffset      // 8 + 8 × the envelope's doubles
/// ```
/// Every flag of the GeoPackage encoding is read: the byte order of the header (bit 0, which
/// applies to the srs id and envelope only; the WKB carries its own), the envelope indicator
/// (bits 1–3, codes 0–4; 5–7 are refused), the empty flag (bit 4). An extended blob (bit 5,
/// `X`: a vendor geometry that is not WKB) is refused with a message that says so; the two
/// reserved bits are ignored, as the specification asks. Any version byte is accepted (the
/// specification defines only 0, and readers must not refuse files for it).
/// - Throws: `GeometryError.invalidWKB(offset:reason:)`, the offset counted from the blob's
///   first byte, for a missing magic, an invalid indicator, the `X` flag, or a blob shorter
///   than its header. Never traps, whatever the bytes.
/// - Complexity: O(1).
public struct GeoPackageBlobHeader: Hashable, Sendable {
    /// The version byte (0 for GeoPackage 1.x).
    public var version: UInt8
    /// Bit 0 of the flags: the srs id and envelope are little-endian.
    public var isLittleEndian: Bool
    /// Bit 4 of the flags: the geometry is empty.
    public var isEmpty: Bool
    /// The envelope indicator of the flags: the kind of `envelope`, `.none` without one.
    public var envelopeKind: GeoPackageEnvelope.Kind { envelope?.kind ?? .none }
    /// The SRS id (`gpkg_spatial_ref_sys.srs_id`).
    public var srsID: Int32
    /// The envelope as stored, `nil` for indicator 0.
    public var envelope: GeoPackageEnvelope?
    /// Where the WKB starts, from the blob's first byte.
    public var wkbOffset: Int { 8 + envelopeKind.doubleCount * 8 }

    /// Bit masks of the flags byte.
    enum Flag {
        static let littleEndian: UInt8 = 0b0000_0001
        static let envelopeShift: UInt8 = 1
        static let envelopeMask: UInt8 = 0b0000_0111
        static let empty: UInt8 = 0b0001_0000
        static let extended: UInt8 = 0b0010_0000
    }

    /// A header with the given fields (what the writer puts down).
    public init(version: UInt8 = 0, isLittleEndian: Bool = true, isEmpty: Bool, srsID: Int32,
                envelope: GeoPackageEnvelope?) {
        self.version = version
        self.isLittleEndian = isLittleEndian
        self.isEmpty = isEmpty
        self.srsID = srsID
        self.envelope = envelope
    }

    /// Reads the header at the start of `blob`.
    public init(blob: UnsafeRawBufferPointer) throws(GeometryError) {
        guard blob.count >= 2, blob[0] == 0x47, blob[1] == 0x50 else {
            throw GeometryError.invalidWKB(offset: 0, reason: "not GeoPackageBinary: no GP magic")
        }
        guard blob.count >= 8 else {
            throw GeometryError.invalidWKB(
                offset: blob.count, reason: "GeoPackageBinary header cut short: \(blob.count) of 8 bytes")
        }
        let flags = blob[3]
        guard flags & Flag.extended == 0 else {
            throw GeometryError.invalidWKB(
                offset: 3, reason: "extended GeoPackageBinary (flag X: a geometry type outside WKB) is not supported")
        }
        let indicator = (flags >> Flag.envelopeShift) & Flag.envelopeMask
        guard let kind = GeoPackageEnvelope.Kind(rawValue: indicator) else {
            throw GeometryError.invalidWKB(offset: 3, reason: "GeoPackageBinary envelope indicator \(indicator) is invalid (0–4)")
        }
        version = blob[2]
        isLittleEndian = flags & Flag.littleEndian != 0
        isEmpty = flags & Flag.empty != 0
        let end = 8 + kind.doubleCount * 8
        guard blob.count >= end else {
            throw GeometryError.invalidWKB(
                offset: blob.count, reason: "GeoPackageBinary header cut short: \(blob.count) of \(end) bytes "
                    + "(an \(kind) envelope)")
        }
        let little = isLittleEndian
        let rawSRS = blob.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        srsID = Int32(bitPattern: little ? UInt32(littleEndian: rawSRS) : UInt32(bigEndian: rawSRS))
        func double(_ i: Int) -> Double {
            let raw = blob.loadUnaligned(fromByteOffset: 8 + i * 8, as: UInt64.self)
            return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
        }
        switch kind {
        case .none:
            envelope = nil
        case .xy:
            envelope = GeoPackageEnvelope(minX: double(0), maxX: double(1), minY: double(2), maxY: double(3))
        case .xyz:
            envelope = GeoPackageEnvelope(minX: double(0), maxX: double(1), minY: double(2), maxY: double(3),
                                          z: .init(min: double(4), max: double(5)))
        case .xym:
            envelope = GeoPackageEnvelope(minX: double(0), maxX: double(1), minY: double(2), maxY: double(3),
                                          m: .init(min: double(4), max: double(5)))
        case .xyzm:
            envelope = GeoPackageEnvelope(minX: double(0), maxX: double(1), minY: double(2), maxY: double(3),
                                          z: .init(min: double(4), max: double(5)), m: .init(min: double(6), max: double(7)))
        }
    }

    /// The flags byte this header is written with.
    public var flags: UInt8 {
        (isLittleEndian ? Flag.littleEndian : 0) | (envelopeKind.rawValue << Flag.envelopeShift) | (isEmpty ? Flag.empty : 0)
    }

    /// The header's bytes: magic, version, flags, srs id and envelope in the header's byte order.
    public func append(to out: inout [UInt8]) {
        out += [0x47, 0x50, version, flags]
        let little = isLittleEndian
        func put(_ bits: UInt32) {
            withUnsafeBytes(of: little ? bits.littleEndian : bits.bigEndian) { out.append(contentsOf: $0) }
        }
        func put(_ value: Double) {
            withUnsafeBytes(of: little ? value.bitPattern.littleEndian : value.bitPattern.bigEndian) { out.append(contentsOf: $0) }
        }
        put(UInt32(bitPattern: srsID))
        guard let envelope else { return }
        for v in [envelope.minX, envelope.maxX, envelope.minY, envelope.maxY] { put(v) }
        if let z = envelope.z { put(z.min); put(z.max) }
        if let m = envelope.m { put(m.min); put(m.max) }
    }
}
