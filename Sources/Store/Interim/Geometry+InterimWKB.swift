import Geometry

// Stand-in for the Geometry module's ISO WKB codec (`geometry.wkb()`, `Geometry(wkb:)`),
// which is being written elsewhere. Same names, so the store code does not change when this
// file is deleted after that codec lands. Two-dimensional, little-endian output only.

extension Geometry {
    /// ISO WKB, little-endian.
    func wkb() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(21)
        InterimWKB.write(self, into: &out)
        return out
    }

    /// Reads ISO WKB (either byte order, two dimensions).
    init(wkb bytes: some Collection<UInt8>) throws {
        var reader = InterimWKB.Reader(bytes: Array(bytes))
        self = try reader.geometry()
    }
}

enum InterimWKB {
    static func write(_ g: Geometry, into out: inout [UInt8]) {
        out.append(1)
        appendUInt32(g.wkbTypeCode, &out)
        switch g {
        case let .point(p): appendPosition(p.position, &out)
        case let .lineString(l): appendPositions(l.positions, &out)
        case let .polygon(p): appendPolygon(p, &out)
        case let .multiPoint(m):
            appendUInt32(UInt32(m.points.count), &out)
            for p in m.points { write(.point(p), into: &out) }
        case let .multiLineString(m):
            appendUInt32(UInt32(m.lineStrings.count), &out)
            for l in m.lineStrings { write(.lineString(l), into: &out) }
        case let .multiPolygon(m):
            appendUInt32(UInt32(m.polygons.count), &out)
            for p in m.polygons { write(.polygon(p), into: &out) }
        case let .geometryCollection(c):
            appendUInt32(UInt32(c.geometries.count), &out)
            for child in c.geometries { write(child, into: &out) }
        }
    }

    private static func appendPolygon(_ p: Polygon, _ out: inout [UInt8]) {
        appendUInt32(UInt32(p.rings.count), &out)
        for ring in p.rings { appendPositions(ring.positions, &out) }
    }

    private static func appendPositions(_ ps: [Position], _ out: inout [UInt8]) {
        appendUInt32(UInt32(ps.count), &out)
        for p in ps { appendPosition(p, &out) }
    }

    private static func appendPosition(_ p: Position, _ out: inout [UInt8]) {
        appendUInt64(p.x.bitPattern, &out)
        appendUInt64(p.y.bitPattern, &out)
    }

    private static func appendUInt32(_ v: UInt32, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    private static func appendUInt64(_ v: UInt64, _ out: inout [UInt8]) {
        withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var littleEndian = true

        init(bytes: [UInt8]) { self.bytes = bytes }

        mutating func geometry() throws -> Geometry {
            guard offset < bytes.count else { throw fail("truncated") }
            let order = bytes[offset]
            offset += 1
            guard order <= 1 else { throw fail("bad byte order \(order)") }
            littleEndian = order == 1
            let code = try uint32()
            let base = code % 1000, dims = code / 1000
            let extra = dims == 0 ? 0 : (dims == 3 ? 2 : 1)
            switch base {
            case 1: return .point(try Point(try position(extra)))
            case 2: return .lineString(try LineString(try positions(extra)))
            case 3: return .polygon(try polygon(extra))
            case 4, 5, 6, 7:
                let n = try uint32()
                var parts: [Geometry] = []
                for _ in 0..<n { parts.append(try geometry()) }
                switch base {
                case 4: return .multiPoint(MultiPoint(parts.compactMap { if case let .point(p) = $0 { p } else { nil } }))
                case 5: return .multiLineString(MultiLineString(parts.compactMap { if case let .lineString(l) = $0 { l } else { nil } }))
                case 6: return .multiPolygon(MultiPolygon(parts.compactMap { if case let .polygon(p) = $0 { p } else { nil } }))
                default: return .geometryCollection(GeometryCollection(parts))
                }
            default: throw fail("unknown geometry type \(code)")
            }
        }

        mutating func polygon(_ extra: Int) throws -> Polygon {
            let n = try uint32()
            var rings: [[Position]] = []
            for _ in 0..<n { rings.append(try positions(extra)) }
            return try Polygon(rings: rings)
        }

        mutating func positions(_ extra: Int) throws -> [Position] {
            let n = try uint32()
            var out: [Position] = []
            out.reserveCapacity(Int(n))
            for _ in 0..<n { out.append(try position(extra)) }
            return out
        }

        mutating func position(_ extra: Int) throws -> Position {
            let x = try double(), y = try double()
            for _ in 0..<extra { _ = try double() }
            return Position(x: x, y: y)
        }

        mutating func uint32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw fail("truncated") }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            return littleEndian ? v : v.byteSwapped
        }

        mutating func double() throws -> Double {
            guard offset + 8 <= bytes.count else { throw fail("truncated") }
            var v: UInt64 = 0
            for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
            offset += 8
            return Double(bitPattern: littleEndian ? v : v.byteSwapped)
        }

        func fail(_ reason: String) -> GeometryError { .invalidWKB(offset: offset, reason: reason) }
    }
}
