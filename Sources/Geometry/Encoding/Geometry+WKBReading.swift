/// A geometry read from WKB, with what was dropped or skipped on the way.
public struct DecodedWKB: Hashable, Sendable {
    /// The two-dimensional geometry.
    public var geometry: Geometry
    /// Some position carried a Z coordinate (now dropped).
    public var hadZ: Bool
    /// Some position carried an M coordinate (now dropped).
    public var hadM: Bool
    /// The EWKB SRID of the outermost geometry, when it had one.
    public var srid: Int32?
    /// How many bytes the geometry occupied, from the start of the input.
    public var byteCount: Int
}

extension Geometry {
    /// Reads one WKB geometry: ISO (`1…7`, `+1000` Z, `+2000` M, `+3000` ZM) or extended
    /// (EWKB flags `0x80000000` Z, `0x40000000` M, `0x20000000` SRID), in either byte order, mixed
    /// freely between nested geometries. Z and M are dropped; bytes after the geometry are left
    /// unread and `byteCount` says where it ended.
    ///
    /// ```swift
    /// let decoded = try Geometry.decodeWKB(buffer)   // buffer: UnsafeRawBufferPointer
    /// if decoded.hadZ { /* report that heights were dropped */ }
    /// ```
    /// - Throws: `GeometryError.invalidWKB(offset:reason:)` for anything malformed: truncated
    ///   data, unknown types (curves, surfaces), counts larger than the remaining bytes, unclosed
    ///   or short rings, one-position line strings, NaN or infinite coordinates, an empty point
    ///   (NaN coordinates: GraveAtlas has no empty point), nesting deeper than 64.
    /// - Complexity: O(n) in the input size; no allocation beyond the geometry itself.
    public static func decodeWKB(_ buffer: UnsafeRawBufferPointer) throws(GeometryError) -> DecodedWKB {
        var reader = WKBReader(buffer)
        let geometry = try reader.readGeometry()
        return DecodedWKB(
            geometry: geometry, hadZ: reader.hadZ, hadM: reader.hadM, srid: reader.srid, byteCount: reader.offset)
    }

    /// `decodeWKB(_:)` over any byte collection (copied only when it is not contiguous).
    public static func decodeWKB(_ bytes: some Collection<UInt8>) throws(GeometryError) -> DecodedWKB {
        let result: Result<DecodedWKB, GeometryError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(GeometryError) in try decodeWKB(UnsafeRawBufferPointer(buffer)) }
        }
        if let result { return try result.get() }
        return try Array(bytes).withUnsafeBytes { buffer in
            Result { () throws(GeometryError) in try decodeWKB(buffer) }
        }.get()
    }

    /// Reads a WKB geometry that fills `buffer` exactly, dropping Z and M.
    ///
    /// ```swift
    /// let g = try Geometry(wkb: [1, 1, 0, 0, 0] + x + y)   // POINT (x y), little-endian
    /// ```
    /// - Throws: as `decodeWKB(_:)`, and `invalidWKB` when bytes follow the geometry.
    public init(wkb buffer: UnsafeRawBufferPointer) throws(GeometryError) {
        let decoded = try Geometry.decodeWKB(buffer)
        guard decoded.byteCount == buffer.count else {
            throw GeometryError.invalidWKB(
                offset: decoded.byteCount, reason: "\(buffer.count - decoded.byteCount) bytes follow the geometry")
        }
        self = decoded.geometry
    }

    /// `init(wkb:)` over any byte collection (`[UInt8]`, `Data`, `ArraySlice<UInt8>` …).
    public init(wkb bytes: some Collection<UInt8>) throws(GeometryError) {
        let result: Result<Geometry, GeometryError>? = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(GeometryError) in try Geometry(wkb: UnsafeRawBufferPointer(buffer)) }
        }
        if let result {
            self = try result.get()
        } else {
            self = try Array(bytes).withUnsafeBytes { buffer in
                Result { () throws(GeometryError) in try Geometry(wkb: buffer) }
            }.get()
        }
    }
}
