import Geometry

/// The fixed part of a GeoPackageBinary blob: flags, SRS id and envelope, read without
/// decoding the geometry.
///
/// ```swift
/// let header = try GeoPackageHeader(blob: bytes)
/// header.envelope?.minX
/// ```
/// A blob without an envelope (as GDAL writes points) gets its envelope from the WKB, read
/// only for its coordinates.
/// - Complexity: O(1) with an envelope, O(n) positions without.
struct GeoPackageHeader {
    var isEmpty: Bool
    var srsID: Int32
    /// `nil` for an empty geometry.
    var envelope: BoundingBox?
    /// Where the WKB starts.
    var wkbOffset: Int

    init(blob: UnsafeRawBufferPointer) throws {
        guard blob.count >= 8, blob[0] == 0x47, blob[1] == 0x50 else {
            throw StoreError.invalidGeometryBlob(fid: nil, reason: "no GP magic")
        }
        let flags = blob[3]
        guard flags & 0b0010_0000 == 0 else {
            throw StoreError.invalidGeometryBlob(fid: nil, reason: "extended GeoPackageBinary is not supported")
        }
        let little = flags & 1 == 1
        let indicator = Int((flags >> 1) & 0b111)
        let doubles: Int
        switch indicator {
        case 0: doubles = 0
        case 1: doubles = 4
        case 2, 3: doubles = 6
        case 4: doubles = 8
        default:
            throw StoreError.invalidGeometryBlob(fid: nil, reason: "envelope indicator \(indicator) is invalid")
        }
        wkbOffset = 8 + doubles * 8
        guard blob.count >= wkbOffset else {
            throw StoreError.invalidGeometryBlob(fid: nil, reason: "blob shorter than its header")
        }
        let rawSRS = blob.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
        srsID = Int32(bitPattern: little ? UInt32(littleEndian: rawSRS) : UInt32(bigEndian: rawSRS))
        isEmpty = flags & 0b0001_0000 != 0
        if isEmpty {
            envelope = nil
        } else if doubles > 0 {
            func value(_ i: Int) -> Double {
                let raw = blob.loadUnaligned(fromByteOffset: 8 + i * 8, as: UInt64.self)
                return Double(bitPattern: little ? UInt64(littleEndian: raw) : UInt64(bigEndian: raw))
            }
            envelope = BoundingBox(minX: value(0), minY: value(2), maxX: value(1), maxY: value(3))
        } else if let (x, y) = Self.point(UnsafeRawBufferPointer(rebasing: blob[wkbOffset...])) {
            // A 2D point, as GDAL and this store write points (no envelope): read in place.
            isEmpty = x.isNaN && y.isNaN
            envelope = isEmpty ? nil : BoundingBox(minX: x, minY: y, maxX: x, maxY: y)
        } else {
            do {
                let geometry = try Geometry(wkb: UnsafeRawBufferPointer(rebasing: blob[wkbOffset...]))
                envelope = geometry.boundingBox
                isEmpty = geometry.isEmpty
            } catch {
                throw StoreError.geometry(error)
            }
        }
    }

    /// The WKB geometry type code (1 point … 6 multipolygon, 7 collection; Z/M variants
    /// reduced to the base code), read from the blob without decoding it; nil when truncated.
    static func geometryType(blob: UnsafeRawBufferPointer, wkbOffset: Int) -> UInt32? {
        guard blob.count >= wkbOffset + 5 else { return nil }
        let raw = blob.loadUnaligned(fromByteOffset: wkbOffset + 1, as: UInt32.self)
        let code = blob[wkbOffset] == 1 ? UInt32(littleEndian: raw) : UInt32(bigEndian: raw)
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
