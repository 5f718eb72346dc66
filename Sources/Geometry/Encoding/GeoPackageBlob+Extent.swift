/// The xy extent of a GeoPackageBinary blob, from its envelope when it has one and from its
/// WKB otherwise — what the GeoPackage index functions (`ST_MinX` …) and R*Tree loading read.
///
/// ```swift
/// let header = try GeoPackageBlobHeader(blob: buffer)
/// let box = try GeoPackageBlob.extent(of: buffer, header: header)   // nil when empty
/// ```
/// A 2D WKB point (21 bytes, either byte order, as GDAL and the store write points) is read in
/// place; a point of NaNs (WKB's empty point) has no extent. Other geometries without an
/// envelope are decoded for their bounding box.
/// - Throws: `GeometryError.invalidWKB` when the WKB must be read and is malformed.
/// - Complexity: O(1) with an envelope or for a point, O(n) positions otherwise.
extension GeoPackageBlob {
    public static func extent(of blob: UnsafeRawBufferPointer, header: GeoPackageBlobHeader) throws(GeometryError) -> BoundingBox? {
        if header.isEmpty { return nil }
        if let envelope = header.envelope { return envelope.boundingBox }
        let wkb = UnsafeRawBufferPointer(rebasing: blob[min(header.wkbOffset, blob.count)...])
        if let (x, y) = point(wkb) {
            return x.isNaN && y.isNaN ? nil : BoundingBox(minX: x, minY: y, maxX: x, maxY: y)
        }
        return try Geometry(wkb: wkb).boundingBox
    }

    /// The WKB geometry type code (1 point … 6 multipolygon, 7 collection; Z/M variants
    /// reduced to the base code), read from the blob without decoding it; nil when truncated.
    public static func geometryType(of blob: UnsafeRawBufferPointer, wkbOffset offset: Int) -> UInt32? {
        guard offset >= 0, blob.count >= offset + 5 else { return nil }
        let raw = blob.loadUnaligned(fromByteOffset: offset + 1, as: UInt32.self)
        let code = blob[offset] == 1 ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
        return code % 1000
    }

    /// The coordinates of a WKB 2D point (type 1, either byte order, exactly 21 bytes), or
    /// nil for anything else.
    private static func point(_ wkb: UnsafeRawBufferPointer) -> (Double, Double)? {
        guard wkb.count == 21, wkb[0] <= 1 else { return nil }
        let little = wkb[0] == 1
        func word(_ offset: Int) -> UInt32 {
            let raw = wkb.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
            return little ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
        }
        func double(_ offset: Int) -> Double {
            let raw = wkb.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
        }
        guard word(1) == 1 else { return nil }
        return (double(5), double(13))
    }
}
