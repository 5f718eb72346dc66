/// Writes ISO WKB (2D) into memory sized beforehand by `Geometry.wkbByteCount`.
struct WKBWriter {
    let buffer: UnsafeMutableRawBufferPointer
    let bigEndian: Bool
    var offset: Int

    @inline(__always)
    mutating func put(_ value: UInt32) {
        buffer.storeBytes(of: bigEndian ? value.bigEndian : value.littleEndian, toByteOffset: offset, as: UInt32.self)
        offset += 4
    }

    @inline(__always)
    mutating func put(_ value: Double) {
        let bits = value.bitPattern
        buffer.storeBytes(of: bigEndian ? bits.bigEndian : bits.littleEndian, toByteOffset: offset, as: UInt64.self)
        offset += 8
    }

    mutating func header(_ type: UInt32) {
        buffer[offset] = bigEndian ? 0 : 1
        offset += 1
        put(type)
    }

    mutating func positions(_ positions: [Position]) {
        put(UInt32(truncatingIfNeeded: positions.count))
        for p in positions {
            put(p.x)
            put(p.y)
        }
    }

    mutating func polygonBody(_ polygon: Polygon) {
        put(UInt32(truncatingIfNeeded: polygon.rings.count))
        for ring in polygon.rings { positions(ring.positions) }
    }

    mutating func write(_ geometry: Geometry) {
        header(geometry.wkbTypeCode)
        switch geometry {
        case let .point(p):
            put(p.position.x)
            put(p.position.y)
        case let .lineString(l):
            positions(l.positions)
        case let .polygon(p):
            polygonBody(p)
        case let .multiPoint(m):
            put(UInt32(truncatingIfNeeded: m.points.count))
            for p in m.points {
                header(1)
                put(p.position.x)
                put(p.position.y)
            }
        case let .multiLineString(m):
            put(UInt32(truncatingIfNeeded: m.lineStrings.count))
            for l in m.lineStrings {
                header(2)
                positions(l.positions)
            }
        case let .multiPolygon(m):
            put(UInt32(truncatingIfNeeded: m.polygons.count))
            for p in m.polygons {
                header(3)
                polygonBody(p)
            }
        case let .geometryCollection(c):
            put(UInt32(truncatingIfNeeded: c.geometries.count))
            for g in c.geometries { write(g) }
        }
    }
}

extension Geometry {
    /// The size in bytes of this geometry's 2D ISO WKB.
    ///
    /// - Complexity: O(number of parts), not of positions.
    public var wkbByteCount: Int {
        switch self {
        case .point: 21
        case let .lineString(l): 9 + 16 * l.positions.count
        case let .polygon(p): Self.polygonBodySize(p) + 5
        case let .multiPoint(m): 9 + 21 * m.points.count
        case let .multiLineString(m): m.lineStrings.reduce(9) { $0 + 9 + 16 * $1.positions.count }
        case let .multiPolygon(m): m.polygons.reduce(9) { $0 + 5 + Self.polygonBodySize($1) }
        case let .geometryCollection(c): c.geometries.reduce(9) { $0 + $1.wkbByteCount }
        }
    }

    private static func polygonBodySize(_ p: Polygon) -> Int {
        p.rings.reduce(4) { $0 + 4 + 16 * $1.positions.count }
    }

    /// ISO WKB, two-dimensional, as GeoPackage stores it.
    ///
    /// ```swift
    /// try Geometry.point(Point(x: 1, y: 2)).wkb()   // 01 01000000 <x: 8 bytes> <y: 8 bytes>
    /// ```
    /// - Parameter byteOrder: little-endian (NDR) unless asked otherwise.
    /// - Complexity: O(n); one allocation of exactly the right size.
    public func wkb(byteOrder: WKBByteOrder = .littleEndian) -> [UInt8] {
        var out: [UInt8] = []
        appendWKB(to: &out, byteOrder: byteOrder)
        return out
    }

    /// Appends ISO WKB to `out`, as when building a GeoPackage blob after its header.
    public func appendWKB(to out: inout [UInt8], byteOrder: WKBByteOrder = .littleEndian) {
        let size = wkbByteCount
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: size))
        out.withUnsafeMutableBytes { buffer in
            var writer = WKBWriter(buffer: buffer, bigEndian: byteOrder == .bigEndian, offset: start)
            writer.write(self)
        }
    }
}
