import Geometry

/// The store's entry to the GeoPackageBinary codec (`GeoPackageBlob`, in Geometry): the same
/// bytes, with errors in the store's terms.
///
/// ```swift
/// let blob = GeoPackageBinary.encode(.point(try Point(x: 51.389, y: 35.689)))
/// let back = try GeoPackageBinary.decode(blob)   // the same point
/// ```
/// - Complexity: O(n) in the number of positions.
public enum GeoPackageBinary {
    /// The SRS id written in every header: EPSG:4326.
    public static let srsID: Int32 = GeoPackageBlob.defaultSRSID

    /// Header, envelope and ISO WKB of `geometry` (see `GeoPackageBlob.encode`).
    public static func encode(_ geometry: Geometry, srsID: Int32 = srsID) -> [UInt8] {
        GeoPackageBlob.encode(geometry, srsID: srsID)
    }

    /// Calls `body` with the bytes `encode` gives, built on the stack for a point.
    public static func withEncoding<R>(_ geometry: Geometry, srsID: Int32 = srsID,
                                       _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try GeoPackageBlob.withEncoding(geometry, srsID: srsID, body)
    }

    /// The geometry held in a GeoPackageBinary blob.
    /// - Throws: `StoreError.invalidGeometryBlob` for a bad header, `.geometry` for bad WKB.
    public static func decode(_ blob: [UInt8]) throws -> Geometry {
        try blob.withUnsafeBytes { try decode($0) }
    }

    /// `decode(_:)` reading the blob where it lies (as SQLite hands it over).
    public static func decode(_ blob: UnsafeRawBufferPointer) throws -> Geometry {
        let header = try GeoPackageHeader.blobHeader(blob)
        do {
            return try Geometry(wkb: UnsafeRawBufferPointer(rebasing: blob[header.wkbOffset...]))
        } catch {
            throw StoreError.geometry(error)
        }
    }
}
