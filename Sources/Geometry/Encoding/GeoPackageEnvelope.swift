/// The envelope a GeoPackageBinary header may carry: none, xy, xyz, xym or xyzm ranges.
///
/// ```swift
/// let kind = GeoPackageEnvelope.Kind(rawValue: 1)   // .xy: 4 doubles after the srs id
/// kind?.doubleCount                                 // 4
/// ```
/// The header's flags name the kind with indicator codes 0–4; codes 5–7 are invalid and have
/// no `Kind`. The doubles are stored as minX, maxX, minY, maxY, then minZ, maxZ, then minM,
/// maxM (xym has M where xyz has Z).
public struct GeoPackageEnvelope: Hashable, Sendable {
    /// Which ranges the envelope holds; the raw value is the flags' envelope indicator.
    public enum Kind: UInt8, Sendable, Hashable, CaseIterable {
        case none = 0, xy = 1, xyz = 2, xym = 3, xyzm = 4

        /// How many doubles follow the srs id: 0, 4, 6, 6 or 8.
        public var doubleCount: Int {
            switch self {
            case .none: 0
            case .xy: 4
            case .xyz, .xym: 6
            case .xyzm: 8
            }
        }
    }

    /// A range of one ordinate as stored: `min` and `max` may be NaN or out of order in a
    /// hostile blob (no `ClosedRange`, which would trap on them).
    public struct Range: Hashable, Sendable {
        public var min: Double
        public var max: Double
        public init(min: Double, max: Double) {
            self.min = min
            self.max = max
        }
    }

    public var minX: Double, maxX: Double, minY: Double, maxY: Double
    /// The Z range, for `.xyz` and `.xyzm`.
    public var z: Range?
    /// The M range, for `.xym` and `.xyzm`.
    public var m: Range?

    public init(minX: Double, maxX: Double, minY: Double, maxY: Double, z: Range? = nil, m: Range? = nil) {
        self.minX = minX
        self.maxX = maxX
        self.minY = minY
        self.maxY = maxY
        self.z = z
        self.m = m
    }

    /// The kind a header must name to hold this envelope.
    public var kind: Kind {
        switch (z != nil, m != nil) {
        case (false, false): .xy
        case (true, false): .xyz
        case (false, true): .xym
        case (true, true): .xyzm
        }
    }

    /// The xy ranges as a bounding box.
    public var boundingBox: BoundingBox { BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY) }
}
