/// The GeoPackageBinary geometry codec: the `GP` header, an optional envelope, then WKB — the
/// one reader and writer of the blobs the store keeps and GeoPackage files bring in.
///
/// ```swift
/// let blob = GeoPackageBlob.encode(.point(try Point(x: 51.389, y: 35.689)))   // 29 bytes
/// let back = try GeoPackageBlob.decode(blob)                                  // the same point
/// ```
/// The writer puts down a little-endian header, version 0, and ISO WKB (little-endian). Lines
/// and areas get their xy envelope (indicator 1), so that index functions never parse their
/// WKB; points, as GDAL writes them, none (their envelope is their coordinates, read in place);
/// empty geometries the empty flag and no envelope. The reader takes every flag combination
/// (see `GeoPackageBlobHeader`) and WKB in either byte order, ISO or extended, with Z and M
/// dropped.
/// - Complexity: O(n) in the number of positions.
public enum GeoPackageBlob {
    /// The SRS id the writer puts in every header unless told otherwise: EPSG:4326.
    public static let defaultSRSID: Int32 = 4326

    /// Header, envelope and ISO WKB of `geometry`.
    public static func encode(_ geometry: Geometry, srsID: Int32 = defaultSRSID) -> [UInt8] {
        let bounds = geometry.boundingBox
        let envelope: GeoPackageEnvelope? = if let box = bounds, geometry.wkbTypeCode != 1 {
            GeoPackageEnvelope(minX: box.minX, maxX: box.maxX, minY: box.minY, maxY: box.maxY)
        } else {
            // Empty: the empty flag, no envelope. A point: no envelope either (as GDAL writes
            // points; the envelope would repeat its two coordinates in 32 more bytes).
            nil
        }
        let header = GeoPackageBlobHeader(isEmpty: bounds == nil, srsID: srsID, envelope: envelope)
        var out: [UInt8] = []
        out.reserveCapacity(header.wkbOffset + geometry.wkbByteCount)
        header.append(to: &out)
        geometry.appendWKB(to: &out)
        return out
    }

    /// Calls `body` with the bytes `encode` gives, built on the stack for a point (the batch
    /// path: no arrays allocated for the 29 bytes of most sites).
    public static func withEncoding<R>(_ geometry: Geometry, srsID: Int32 = defaultSRSID,
                                       _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        guard case let .point(point) = geometry else {
            return try encode(geometry, srsID: srsID).withUnsafeBytes(body)
        }
        // Header without envelope (magic, version 0, flags: little-endian), srs id, then the
        // WKB point: byte order 1, type 1, x and y, all little-endian.
        var bytes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return try withUnsafeMutableBytes(of: &bytes) { out in
            out.storeBytes(of: UInt32(0x0100_5047).littleEndian, toByteOffset: 0, as: UInt32.self)   // "GP", 0, 0b1
            out.storeBytes(of: UInt32(bitPattern: srsID).littleEndian, toByteOffset: 4, as: UInt32.self)
            out.storeBytes(of: 1, toByteOffset: 8, as: UInt8.self)
            out.storeBytes(of: UInt32(1).littleEndian, toByteOffset: 9, as: UInt32.self)
            out.storeBytes(of: point.position.x.bitPattern.littleEndian, toByteOffset: 13, as: UInt64.self)
            out.storeBytes(of: point.position.y.bitPattern.littleEndian, toByteOffset: 21, as: UInt64.self)
            return try body(UnsafeRawBufferPointer(rebasing: out[0..<29]))
        }
    }

    /// The geometry of a blob whose WKB fills the rest of it, as the store reads its own rows.
    /// An empty-flagged blob gives the empty geometry its WKB holds (`.polygon(.empty)` …).
    /// - Throws: `GeometryError.invalidWKB` for a bad header (offset from the blob's start) or
    ///   bad WKB, trailing bytes included (offset from the WKB's start), or a WKB empty point
    ///   (GraveAtlas has no empty point).
    public static func decode(_ blob: UnsafeRawBufferPointer) throws(GeometryError) -> Geometry {
        let header = try GeoPackageBlobHeader(blob: blob)
        return try Geometry(wkb: UnsafeRawBufferPointer(rebasing: blob[header.wkbOffset...]))
    }

    /// `decode(_:)` over an array.
    public static func decode(_ blob: [UInt8]) throws(GeometryError) -> Geometry {
        try blob.withUnsafeBytes { buffer in
            Result { () throws(GeometryError) in try decode(buffer) }
        }.get()
    }

    /// The geometry of a blob as an importer reads a GeoPackage written by any tool: `nil` for
    /// an empty-flagged blob (its WKB is not read: GDAL writes an empty point as NaNs), and
    /// what was dropped (Z, M) on the way. Bytes after the WKB are left unread.
    /// - Throws: `GeometryError.invalidWKB` as `decode(_:)`, and when no WKB follows the header.
    public static func decodeWKB(_ blob: UnsafeRawBufferPointer) throws(GeometryError) -> DecodedWKB? {
        let header = try GeoPackageBlobHeader(blob: blob)
        if header.isEmpty { return nil }
        guard blob.count > header.wkbOffset else {
            throw GeometryError.invalidWKB(offset: blob.count, reason: "GeoPackageBinary blob ends after its header: no WKB")
        }
        return try Geometry.decodeWKB(UnsafeRawBufferPointer(rebasing: blob[header.wkbOffset...]))
    }

    /// `decodeWKB(_:)` over an array.
    public static func decodeWKB(_ blob: [UInt8]) throws(GeometryError) -> DecodedWKB? {
        try blob.withUnsafeBytes { buffer in
            Result { () throws(GeometryError) in try decodeWKB(buffer) }
        }.get()
    }
}
