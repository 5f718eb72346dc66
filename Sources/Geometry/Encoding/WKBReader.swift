/// Reads WKB straight from memory: every read is bounds-checked, every count is checked
/// against the bytes left before anything is allocated, and nesting is capped, so hostile
/// input fails with `GeometryError.invalidWKB` rather than crashing or exhausting memory.
struct WKBReader {
    /// Geometry collections nested deeper than this are rejected.
    static let maximumDepth = 64

    let bytes: UnsafeRawBufferPointer
    var offset: Int
    private(set) var hadZ = false
    private(set) var hadM = false
    var srid: Int32?

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    func failure(_ reason: String, at position: Int? = nil) -> GeometryError {
        .invalidWKB(offset: position ?? offset, reason: reason)
    }

    // MARK: Primitives

    /// The byte-order marker: true for big-endian (XDR).
    mutating func readByteOrder() throws(GeometryError) -> Bool {
        guard offset < bytes.count else { throw failure("expected a byte-order marker but the data ended") }
        let marker = bytes[offset]
        guard marker <= 1 else { throw failure("byte-order marker must be 0 or 1, found \(marker)") }
        offset += 1
        return marker == 0
    }

    mutating func readUInt32(bigEndian: Bool, what: String) throws(GeometryError) -> UInt32 {
        guard remaining >= 4 else {
            throw failure("expected 4 bytes of \(what) but only \(remaining) remain")
        }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }

    @inline(__always)
    func double(at position: Int, bigEndian: Bool) -> Double {
        let raw = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        return Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
    }

    /// Reads a count and checks that `count * minimumSize` bytes can still follow.
    mutating func readCount(bigEndian: Bool, minimumSize: Int, what: String) throws(GeometryError) -> Int {
        let start = offset
        let count = Int(try readUInt32(bigEndian: bigEndian, what: "\(what) count"))
        guard count <= remaining / minimumSize else {
            throw failure(
                "\(what) count \(count) needs at least \(count * minimumSize) bytes but only \(remaining) remain",
                at: start)
        }
        return count
    }

    // MARK: Positions

    /// Reads `count` positions of `dimensions` coordinates, keeping x and y.
    mutating func readPositions(count: Int, dimensions: Int, bigEndian: Bool) throws(GeometryError) -> [Position] {
        let stride = 8 * dimensions
        guard count <= remaining / stride else {
            throw failure("\(count) positions need \(count * stride) bytes but only \(remaining) remain")
        }
        let start = offset
        var allFinite = true
        let positions = [Position](unsafeUninitializedCapacity: count) { buffer, initialized in
            var at = start
            for k in 0..<count {
                let x = double(at: at, bigEndian: bigEndian)
                let y = double(at: at + 8, bigEndian: bigEndian)
                allFinite = allFinite && x.isFinite && y.isFinite
                buffer.initializeElement(at: k, to: Position(x: x, y: y))
                at += stride
            }
            initialized = count
        }
        if !allFinite, let bad = positions.firstIndex(where: { !$0.isFinite }) {
            throw failure("coordinate \(positions[bad]) is not a finite number", at: start + bad * stride)
        }
        offset += count * stride
        return positions
    }

    // MARK: Geometry

    /// Reads a geometry's header: byte order, type word (checked against `expected` inside
    /// multi-geometries) and the EWKB SRID when there is one; notes Z and M.
    mutating func readHeader(depth: Int, expected: UInt32?) throws(GeometryError) -> (type: WKBTypeCode, bigEndian: Bool) {
        guard depth <= Self.maximumDepth else {
            throw failure("geometry collections are nested more than \(Self.maximumDepth) deep")
        }
        let start = offset
        let big = try readByteOrder()
        let raw = try readUInt32(bigEndian: big, what: "geometry type")
        guard let type = WKBTypeCode(rawValue: raw) else {
            throw failure("unsupported geometry type \(raw)", at: start + 1)
        }
        if let expected, type.baseType != expected {
            throw failure("expected geometry type \(expected) inside a multi-geometry, found \(type.baseType)", at: start + 1)
        }
        hadZ = hadZ || type.hasZ
        hadM = hadM || type.hasM
        if type.hasSRID {
            let value = Int32(bitPattern: try readUInt32(bigEndian: big, what: "SRID"))
            if depth == 0 { srid = value }
        }
        return (type, big)
    }

    /// Reads one geometry (header and body). `expected` restricts the base type, as inside
    /// multi-geometries.
    mutating func readGeometry(depth: Int = 0, expected: UInt32? = nil) throws(GeometryError) -> Geometry {
        let (type, big) = try readHeader(depth: depth, expected: expected)
        let dims = type.dimensions
        switch type.baseType {
        case 1:
            return .point(try readPointBody(dimensions: dims, bigEndian: big))
        case 2:
            return .lineString(try readLineStringBody(dimensions: dims, bigEndian: big))
        case 3:
            return .polygon(try readPolygonBody(dimensions: dims, bigEndian: big))
        case 4:
            return .multiPoint(MultiPoint(try readMembers(depth: depth, bigEndian: big, minimumSize: 21, what: "point", expected: 1) {
                if case let .point(p) = $0 { p } else { nil }
            }))
        case 5:
            return .multiLineString(MultiLineString(try readMembers(depth: depth, bigEndian: big, minimumSize: 9, what: "line string", expected: 2) {
                if case let .lineString(l) = $0 { l } else { nil }
            }))
        case 6:
            return .multiPolygon(MultiPolygon(try readMembers(depth: depth, bigEndian: big, minimumSize: 9, what: "polygon", expected: 3) {
                if case let .polygon(p) = $0 { p } else { nil }
            }))
        default:
            return .geometryCollection(GeometryCollection(try readMembers(depth: depth, bigEndian: big, minimumSize: 9, what: "geometry", expected: nil) { $0 }))
        }
    }

    /// The members of a multi-geometry or collection: a count (each member taking at least
    /// `minimumSize` bytes), then that many geometries of base type `expected` (any when nil),
    /// each taken out of its `Geometry` case by `member`.
    mutating func readMembers<T>(depth: Int, bigEndian big: Bool, minimumSize: Int, what: String, expected: UInt32?,
                                 _ member: (Geometry) -> T?) throws(GeometryError) -> [T] {
        let count = try readCount(bigEndian: big, minimumSize: minimumSize, what: what)
        var members: [T] = []
        members.reserveCapacity(count)
        for _ in 0..<count {
            // readGeometry(expected:) returns only geometries of that base type.
            guard let m = member(try readGeometry(depth: depth + 1, expected: expected)) else {
                throw failure("expected a \(what)")
            }
            members.append(m)
        }
        return members
    }

    mutating func readPointBody(dimensions: Int, bigEndian: Bool) throws(GeometryError) -> Point {
        let start = offset
        guard remaining >= 8 * dimensions else {
            throw failure("a point needs \(8 * dimensions) bytes but only \(remaining) remain")
        }
        let x = double(at: start, bigEndian: bigEndian)
        let y = double(at: start + 8, bigEndian: bigEndian)
        if x.isNaN && y.isNaN {
            throw failure("empty point (NaN coordinates): GraveAtlas has no empty point", at: start)
        }
        guard x.isFinite && y.isFinite else {
            throw failure("coordinate \(Position(x: x, y: y)) is not a finite number", at: start)
        }
        offset += 8 * dimensions
        return Point(validatedPosition: Position(x: x, y: y))
    }

    mutating func readLineStringBody(dimensions: Int, bigEndian: Bool) throws(GeometryError) -> LineString {
        let start = offset
        let count = try readCount(bigEndian: bigEndian, minimumSize: 8 * dimensions, what: "position")
        guard count != 1 else { throw failure("a line string has 1 position, needs 0 or at least 2", at: start) }
        return LineString(validatedPositions: try readPositions(count: count, dimensions: dimensions, bigEndian: bigEndian))
    }

    mutating func readPolygonBody(dimensions: Int, bigEndian: Bool) throws(GeometryError) -> Polygon {
        let count = try readCount(bigEndian: bigEndian, minimumSize: 4, what: "ring")
        var rings: [LinearRing] = []
        rings.reserveCapacity(count)
        for _ in 0..<count {
            let start = offset
            let n = try readCount(bigEndian: bigEndian, minimumSize: 8 * dimensions, what: "position")
            guard n >= 4 else { throw failure("a linear ring has \(n) positions, needs at least 4", at: start) }
            let positions = try readPositions(count: n, dimensions: dimensions, bigEndian: bigEndian)
            // n >= 4 was checked above, so the first and last positions exist.
            guard positions[0] == positions[n - 1] else {
                throw failure("linear ring is not closed: it starts at \(positions[0]) but ends at \(positions[n - 1])", at: start)
            }
            rings.append(LinearRing(unchecked: positions))
        }
        return Polygon(validatedRings: rings)
    }
}
