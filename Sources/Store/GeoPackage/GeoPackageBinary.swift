import Geometry

/// The GeoPackageBinary encoding of a geometry: the `GP` header, an envelope, then ISO WKB.
///
/// ```swift
/// let blob = GeoPackageBinary.encode(.point(try Point(x: 51.389, y: 35.689)))
/// let back = try GeoPackageBinary.decode(blob)   // the same point
/// ```
/// Lines and areas are written with their xy envelope (indicator 1) and a little-endian
/// header, so that the index functions never parse their WKB; points, as GDAL writes them,
/// without one (their envelope is their coordinates, read in place). Empty geometries carry
/// the empty flag and no envelope.
/// - Complexity: O(n) in the number of positions.
public enum GeoPackageBinary {
    /// The SRS id written in every header: EPSG:4326.
    public static let srsID: Int32 = 4326

    /// Header, envelope and ISO WKB of `geometry`.
    public static func encode(_ geometry: Geometry, srsID: Int32 = srsID) -> [UInt8] {
        let wkb = geometry.wkb(), bounds = geometry.boundingBox
        guard let box = bounds, geometry.wkbTypeCode != 1 else {
            // Empty: the empty flag, no envelope. A point: no envelope either (as GDAL writes
            // points; the envelope would repeat its two coordinates in 32 more bytes).
            let empty: UInt8 = bounds == nil ? 0b0001_0000 : 0
            var out: [UInt8] = [0x47, 0x50, 0, 0b0000_0001 | empty]
            appendInt32(srsID, &out)
            out.append(contentsOf: wkb)
            return out
        }
        var out: [UInt8] = [0x47, 0x50, 0, 0b0000_0011]
        out.reserveCapacity(40 + wkb.count)
        appendInt32(srsID, &out)
        for v in [box.minX, box.maxX, box.minY, box.maxY] {
            withUnsafeBytes(of: v.bitPattern.littleEndian) { out.append(contentsOf: $0) }
        }
        out.append(contentsOf: wkb)
        return out
    }

    /// Calls `body` with the bytes `encode` gives, built on the stack for a point (the batch
    /// path: no arrays allocated for the 29 bytes of most sites).
    public static func withEncoding<R>(_ geometry: Geometry, srsID: Int32 = srsID,
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

    /// The geometry held in a GeoPackageBinary blob.
    /// - Throws: `StoreError.invalidGeometryBlob` for a bad header, `.geometry` for bad WKB.
    public static func decode(_ blob: [UInt8]) throws -> Geometry {
        try blob.withUnsafeBytes { try decode($0) }
    }

    /// `decode(_:)` reading the blob where it lies (as SQLite hands it over).
    public static func decode(_ blob: UnsafeRawBufferPointer) throws -> Geometry {
        let header = try GeoPackageHeader(blob: blob)
        do {
            return try Geometry(wkb: UnsafeRawBufferPointer(rebasing: blob[header.wkbOffset...]))
        } catch {
            throw StoreError.geometry(error)
        }
    }

    private static func appendInt32(_ v: Int32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }
}
