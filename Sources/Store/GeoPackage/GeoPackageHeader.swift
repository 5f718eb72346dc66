import Geometry

/// The store's view of a GeoPackageBinary header: Geometry's `GeoPackageBlobHeader` with the
/// extent the index functions need, and errors in the store's terms.
///
/// ```swift
/// let header = try GeoPackageHeader(blob: bytes)
/// header.envelope?.minX
/// ```
/// A blob without an envelope (as GDAL writes points) gets its envelope from the WKB, read
/// only for its coordinates (see `GeoPackageBlob.extent(of:header:)`).
/// - Throws: `StoreError.invalidGeometryBlob` for a bad header, `.geometry` for bad WKB that
///   had to be read for the extent.
/// - Complexity: O(1) with an envelope or for a point, O(n) positions otherwise.
struct GeoPackageHeader {
    /// No extent: the empty flag, WKB's empty point, or an empty geometry.
    var isEmpty: Bool { envelope == nil }
    var srsID: Int32 { blob.srsID }
    /// The xy extent; `nil` for an empty geometry.
    var envelope: BoundingBox?
    /// Where the WKB starts.
    var wkbOffset: Int { blob.wkbOffset }
    /// The header as read.
    let blob: GeoPackageBlobHeader

    init(blob bytes: UnsafeRawBufferPointer) throws {
        blob = try Self.blobHeader(bytes)
        do {
            envelope = try GeoPackageBlob.extent(of: bytes, header: blob)
        } catch {
            throw StoreError.geometry(error)
        }
    }

    /// Geometry's header of `bytes`, its errors as the store's `invalidGeometryBlob`.
    static func blobHeader(_ bytes: UnsafeRawBufferPointer) throws(StoreError) -> GeoPackageBlobHeader {
        do {
            return try GeoPackageBlobHeader(blob: bytes)
        } catch let .invalidWKB(_, reason) {
            throw .invalidGeometryBlob(fid: nil, reason: reason)
        } catch {
            throw .invalidGeometryBlob(fid: nil, reason: error.description)
        }
    }

    /// The WKB geometry type code (1 point … 7 collection, Z/M reduced), read without
    /// decoding; nil when truncated.
    static func geometryType(blob: UnsafeRawBufferPointer, wkbOffset: Int) -> UInt32? {
        GeoPackageBlob.geometryType(of: blob, wkbOffset: wkbOffset)
    }
}
