import CGEOS

extension GEOSContext {
    /// Builds the GEOS form of a geometry.
    /// - Complexity: O(n) in the number of positions, one buffer copy per ring or line.
    func make(_ geometry: Geometry) throws -> GEOSObject {
        try own(makeRaw(geometry), "convert \(geometry.typeName)")
    }

    private func makeRaw(_ geometry: Geometry) throws -> OpaquePointer? {
        switch geometry {
        case let .point(p):
            return GEOSGeom_createPointFromXY_r(handle, p.position.x, p.position.y)
        case let .lineString(l):
            if l.isEmpty { return GEOSGeom_createEmptyLineString_r(handle) }
            return GEOSGeom_createLineString_r(handle, try sequence(l.positions))
        case let .polygon(p):
            return try makePolygon(p)
        case let .multiPoint(m):
            return try collection(GEOS_MULTIPOINT, m.points.map { .point($0) })
        case let .multiLineString(m):
            return try collection(GEOS_MULTILINESTRING, m.lineStrings.map { .lineString($0) })
        case let .multiPolygon(m):
            return try collection(GEOS_MULTIPOLYGON, m.polygons.map { .polygon($0) })
        case let .geometryCollection(c):
            return try collection(GEOS_GEOMETRYCOLLECTION, c.geometries)
        }
    }

    private func sequence(_ positions: [Position]) throws -> OpaquePointer {
        // Position is two stored Doubles (x then y), laid out like double[2].
        let seq = positions.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyFromBuffer_r(handle, doubles.baseAddress, UInt32(positions.count), 0, 0)
            }
        }
        guard let seq else { throw failure("coordinate sequence") }
        return seq
    }

    private func makeRing(_ ring: LinearRing) throws -> OpaquePointer {
        guard let made = GEOSGeom_createLinearRing_r(handle, try sequence(ring.positions)) else {
            throw failure("linear ring")
        }
        return made
    }

    private func makePolygon(_ polygon: Polygon) throws -> OpaquePointer? {
        guard let exterior = polygon.exterior else { return GEOSGeom_createEmptyPolygon_r(handle) }
        let shell = try makeRing(exterior)
        var holes: [OpaquePointer?] = []
        holes.reserveCapacity(polygon.rings.count - 1)
        do {
            for hole in polygon.holes { holes.append(try makeRing(hole)) }
        } catch {
            GEOSGeom_destroy_r(handle, shell)
            for hole in holes { GEOSGeom_destroy_r(handle, hole) }
            throw error
        }
        return holes.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createPolygon_r(handle, shell, buffer.baseAddress, UInt32(buffer.count))
        }
    }

    private func collection(_ type: GEOSGeomTypes, _ members: [Geometry]) throws -> OpaquePointer? {
        let typeID = Int32(type.rawValue)
        if members.isEmpty { return GEOSGeom_createEmptyCollection_r(handle, typeID) }
        let owned = try members.map(make)
        var raw: [OpaquePointer?] = owned.map { $0.release() }
        return raw.withUnsafeMutableBufferPointer { buffer in
            GEOSGeom_createCollection_r(handle, typeID, buffer.baseAddress, UInt32(buffer.count))
        }
    }

    /// Reads a GEOS geometry back into a value. An empty point (GEOS's answer for, say, the
    /// centroid of nothing) becomes an empty geometry collection, since `Point` is never empty.
    func value(_ object: GEOSObject) throws -> Geometry {
        try value(borrowed: object.pointer)
    }

    func value(borrowed g: OpaquePointer) throws -> Geometry {
        let type = GEOSGeomTypeId_r(handle, g)
        switch type {
        case Int32(GEOS_POINT.rawValue):
            if GEOSisEmpty_r(handle, g) == 1 { return .geometryCollection(GeometryCollection([])) }
            let positions = try coordinates(of: g)
            guard let first = positions.first else { throw failure("read point") }
            return .point(Point(unchecked: first))
        case Int32(GEOS_LINESTRING.rawValue), Int32(GEOS_LINEARRING.rawValue):
            return .lineString(LineString(unchecked: try coordinates(of: g)))
        case Int32(GEOS_POLYGON.rawValue):
            return .polygon(try polygon(g))
        case Int32(GEOS_MULTIPOINT.rawValue):
            return .multiPoint(MultiPoint(try members(of: g).compactMap { member in
                if case let .point(p) = member { return p } else { return nil }
            }))
        case Int32(GEOS_MULTILINESTRING.rawValue):
            return .multiLineString(MultiLineString(try members(of: g).compactMap { member in
                if case let .lineString(l) = member { return l } else { return nil }
            }))
        case Int32(GEOS_MULTIPOLYGON.rawValue):
            return .multiPolygon(MultiPolygon(try members(of: g).compactMap { member in
                if case let .polygon(p) = member { return p } else { return nil }
            }))
        case Int32(GEOS_GEOMETRYCOLLECTION.rawValue):
            return .geometryCollection(GeometryCollection(try members(of: g)))
        default:
            throw GeometryError.geos(operation: "read", message: "unknown geometry type \(type)")
        }
    }

    private func members(of g: OpaquePointer) throws -> [Geometry] {
        let n = GEOSGetNumGeometries_r(handle, g)
        guard n >= 0 else { throw failure("count members") }
        if GEOSisEmpty_r(handle, g) == 1 && n == 0 { return [] }
        return try (0..<n).map { i in
            guard let member = GEOSGetGeometryN_r(handle, g, i) else { throw failure("member \(i)") }
            return try value(borrowed: member)
        }
    }

    private func polygon(_ g: OpaquePointer) throws -> Polygon {
        if GEOSisEmpty_r(handle, g) == 1 { return .empty }
        guard let shell = GEOSGetExteriorRing_r(handle, g) else { throw failure("exterior ring") }
        var rings = [LinearRing(unchecked: try coordinates(of: shell))]
        let holes = GEOSGetNumInteriorRings_r(handle, g)
        guard holes >= 0 else { throw failure("count holes") }
        for i in 0..<holes {
            guard let hole = GEOSGetInteriorRingN_r(handle, g, i) else { throw failure("hole \(i)") }
            rings.append(LinearRing(unchecked: try coordinates(of: hole)))
        }
        return Polygon(uncheckedRings: rings)
    }

    private func coordinates(of g: OpaquePointer) throws -> [Position] {
        guard let seq = GEOSGeom_getCoordSeq_r(handle, g) else { throw failure("coordinates") }
        var size: UInt32 = 0
        guard GEOSCoordSeq_getSize_r(handle, seq, &size) != 0 else { throw failure("coordinate count") }
        var positions = [Position](repeating: Position(x: 0, y: 0), count: Int(size))
        let ok = positions.withUnsafeMutableBufferPointer { buffer in
            buffer.withMemoryRebound(to: Double.self) { doubles in
                GEOSCoordSeq_copyToBuffer_r(handle, seq, doubles.baseAddress, 0, 0)
            }
        }
        guard ok != 0 else { throw failure("copy coordinates") }
        return positions
    }
}
