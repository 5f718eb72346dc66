import Foundation

/// The bounds an import keeps to whatever its input files hold, so that a hostile or damaged
/// file is refused with a reason instead of exhausting memory, disk or time.
///
/// ```swift
/// var limits = InputLimits.standard
/// limits.maxExpansionRatio = 50                       // stricter on zip bombs
/// let opened = try OpenedFile(url, options: OpeningOptions(limits: limits))
/// ```
/// The standard values are far above what real data needs (a 2 GiB zip of shapefiles, a
/// 256 MiB KML) and far below what takes a machine down. CSV line and field limits are in
/// `LineLimits`, mapping file limits in `MappingLimits`.
public struct InputLimits: Sendable, Hashable {
    /// The most bytes a zip may expand to, all members together.
    public var maxExtractedBytes: UInt64
    /// The most a zip member may expand relative to its compressed size, once it is larger
    /// than `ratioFloorBytes` (real data compresses 3–20 times; a zip bomb thousands of times).
    public var maxExpansionRatio: UInt64
    /// Members smaller than this expand as they like (a few kilobytes of zeros compress well).
    public var ratioFloorBytes: UInt64
    /// The most members a zip may hold.
    public var maxMembers: Int
    /// The largest KML document read (it is parsed whole, so this bounds memory).
    public var maxKMLBytes: UInt64
    /// How long one read from a GeoPackage layer may take before it is stopped (a view that
    /// never ends, a recursive query).
    public var maxStatementSeconds: Double

    public init(maxExtractedBytes: UInt64 = 2 << 30, maxExpansionRatio: UInt64 = 100,
                ratioFloorBytes: UInt64 = 1 << 20, maxMembers: Int = 100_000,
                maxKMLBytes: UInt64 = 256 << 20, maxStatementSeconds: Double = 60) {
        self.maxExtractedBytes = maxExtractedBytes
        self.maxExpansionRatio = maxExpansionRatio
        self.ratioFloorBytes = ratioFloorBytes
        self.maxMembers = maxMembers
        self.maxKMLBytes = maxKMLBytes
        self.maxStatementSeconds = maxStatementSeconds
    }

    /// The limits every import uses unless told otherwise.
    public static let standard = InputLimits()

    /// The most bytes a member of `compressed` bytes may expand to under the ratio limit.
    func allowedExpansion(ofCompressed compressed: UInt64) -> UInt64 {
        let (product, overflow) = compressed.multipliedReportingOverflow(by: maxExpansionRatio)
        return max(ratioFloorBytes, overflow ? .max : product)
    }
}
