/// What a WKB value is, learnt without building it: its type, whether it is empty, and the
/// box around its positions.
public struct WKBSummary: Hashable, Sendable {
    /// The outermost geometry's type word, taken apart.
    public var type: WKBTypeCode
    /// No positions at all (an empty geometry, or a collection of empties).
    public var isEmpty: Bool { envelope == nil }
    /// The x/y box around every position; nil when empty.
    public var envelope: BoundingBox?
    /// The EWKB SRID of the outermost geometry, when it had one.
    public var srid: Int32?
    /// How many bytes the geometry occupied.
    public var byteCount: Int
}

extension Geometry {
    /// The type of a WKB geometry, read from its first five bytes (nine with an EWKB SRID).
    ///
    /// ```swift
    /// let type = try Geometry.wkbType(of: blob)   // type.baseType == 3: a polygon
    /// ```
    /// - Throws: `GeometryError.invalidWKB` when the header is short or names an unsupported type.
    /// - Complexity: O(1).
    public static func wkbType(of buffer: UnsafeRawBufferPointer) throws(GeometryError) -> WKBTypeCode {
        var reader = WKBReader(buffer)
        let big = try reader.readByteOrder()
        let raw = try reader.readUInt32(bigEndian: big, what: "geometry type")
        guard let type = WKBTypeCode(rawValue: raw) else {
            throw GeometryError.invalidWKB(offset: 1, reason: "unsupported geometry type \(raw)")
        }
        return type
    }

    /// Walks a WKB geometry for its type and envelope without allocating, as the GeoPackage
    /// `ST_MinX` … functions and blob headers need.
    ///
    /// ```swift
    /// let summary = try Geometry.summarizeWKB(buffer)
    /// summary.envelope   // BoundingBox(minX: …), nil for an empty geometry
    /// ```
    /// Structure is checked as strictly as by `decodeWKB(_:)` (bounds, counts, types, nesting,
    /// empty points, non-finite values); ring closure and position counts are not.
    ///
    /// - Complexity: O(n), no allocation.
    public static func summarizeWKB(_ buffer: UnsafeRawBufferPointer) throws(GeometryError) -> WKBSummary {
        let type = try wkbType(of: buffer)
        var reader = WKBReader(buffer)
        var box: BoundingBox?
        try reader.scanGeometry(depth: 0, expected: nil, box: &box)
        return WKBSummary(type: type, envelope: box, srid: reader.srid, byteCount: reader.offset)
    }
}

extension WKBReader {
    /// Like `readGeometry`, but only extends `box` with each position.
    mutating func scanGeometry(depth: Int, expected: UInt32?, box: inout BoundingBox?) throws(GeometryError) {
        let (type, big) = try readHeader(depth: depth, expected: expected)
        let dims = type.dimensions
        switch type.baseType {
        case 1:
            let p = try readPointBody(dimensions: dims, bigEndian: big)
            extend(&box, p.position)
        case 2:
            let count = try readCount(bigEndian: big, minimumSize: 8 * dims, what: "position")
            try scanPositions(count: count, dimensions: dims, bigEndian: big, box: &box)
        case 3:
            let rings = try readCount(bigEndian: big, minimumSize: 4, what: "ring")
            for _ in 0..<rings {
                let count = try readCount(bigEndian: big, minimumSize: 8 * dims, what: "position")
                try scanPositions(count: count, dimensions: dims, bigEndian: big, box: &box)
            }
        default:
            let member: UInt32? = type.baseType == 7 ? nil : type.baseType - 3
            let count = try readCount(bigEndian: big, minimumSize: member == 1 ? 21 : 9, what: "member")
            for _ in 0..<count {
                try scanGeometry(depth: depth + 1, expected: member, box: &box)
            }
        }
    }

    private func extend(_ box: inout BoundingBox?, _ p: Position) {
        if box == nil { box = BoundingBox(p) } else { box?.extend(p) }
    }

    private mutating func scanPositions(
        count: Int, dimensions: Int, bigEndian: Bool, box: inout BoundingBox?
    ) throws(GeometryError) {
        guard count > 0 else { return }
        let stride = 8 * dimensions
        var minX = Double.infinity, minY = Double.infinity
        var maxX = -Double.infinity, maxY = -Double.infinity
        var at = offset
        for _ in 0..<count {
            let x = double(at: at, bigEndian: bigEndian)
            let y = double(at: at + 8, bigEndian: bigEndian)
            guard x.isFinite && y.isFinite else {
                throw failure("coordinate \(Position(x: x, y: y)) is not a finite number", at: at)
            }
            minX = Swift.min(minX, x)
            minY = Swift.min(minY, y)
            maxX = Swift.max(maxX, x)
            maxY = Swift.max(maxY, y)
            at += stride
        }
        offset = at
        let found = BoundingBox(minX: minX, minY: minY, maxX: maxX, maxY: maxY)
        if box == nil { box = found } else { box?.extend(found) }
    }
}
