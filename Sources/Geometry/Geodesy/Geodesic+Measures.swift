import CPROJ

extension Geodesic {
    /// The length in metres of the lines in a geometry: line strings and multi line
    /// strings, summed through collections; points and polygons count 0 (see `perimeter`).
    ///
    /// - Complexity: O(n) inverse problems for n positions.
    public func length(of geometry: Geometry) -> Double {
        switch geometry {
        case .point, .multiPoint, .polygon, .multiPolygon:
            return 0
        case let .lineString(line):
            return length(of: line.positions)
        case let .multiLineString(multi):
            return multi.lineStrings.reduce(0) { $0 + length(of: $1.positions) }
        case let .geometryCollection(collection):
            return collection.geometries.reduce(0) { $0 + length(of: $1) }
        }
    }

    /// The area in square metres enclosed by a geometry's polygons, edges being geodesics:
    /// each exterior ring's area less its holes', summed over polygons and collections.
    /// Orientation does not matter. Points and lines have area 0.
    ///
    /// ```swift
    /// Geodesic.wgs84.area(of: siteOutline)   // m²
    /// ```
    /// Rings are taken to enclose less than half the Earth, except a ring drawn across a pole or
    /// along a parallel from −180° to 180° (the whole world, a polar cap), which is read as
    /// written in longitude/latitude (see `isWrittenAcrossSeam`).
    /// - Complexity: O(n) for n positions.
    public func area(of geometry: Geometry) -> Double {
        measure(geometry).area
    }

    /// The length in metres of every ring (exteriors and holes) of a geometry's polygons.
    /// Points and lines have perimeter 0.
    public func perimeter(of geometry: Geometry) -> Double {
        measure(geometry).perimeter
    }

    /// Area and perimeter of a polygon geometry together.
    func measure(_ geometry: Geometry) -> (area: Double, perimeter: Double) {
        switch geometry {
        case .point, .multiPoint, .lineString, .multiLineString:
            return (0, 0)
        case let .polygon(polygon):
            return measure(polygon)
        case let .multiPolygon(multi):
            return multi.polygons.map(measure).reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        case let .geometryCollection(collection):
            return collection.geometries.map(measure).reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
    }

    func measure(_ polygon: Polygon) -> (area: Double, perimeter: Double) {
        var area = 0.0, perimeter = 0.0
        for (index, ring) in polygon.rings.enumerated() {
            let measured = measure(ring)
            area += index == 0 ? measured.area : -measured.area
            perimeter += measured.perimeter
        }
        return (area, perimeter)
    }

    /// The unsigned area and the perimeter of one ring.
    func measure(_ ring: LinearRing) -> (area: Double, perimeter: Double) {
        // The closing position repeats the first: leave it out, geod_polygonarea closes rings.
        if Geodesic.isWrittenAcrossSeam(ring.positions) { return measureAsWritten(ring.positions) }
        let open = ring.positions.dropLast()
        var lats = open.map(\.latitude), lons = open.map(\.longitude)
        var area = 0.0, perimeter = 0.0
        withUnsafePointer(to: ellipsoid) { g in
            geod_polygonarea(g, &lats, &lons, Int32(lats.count), &area, &perimeter)
        }
        return (abs(area), perimeter)
    }

    /// The length of a path through the positions, in metres.
    func length(of positions: [Position]) -> Double {
        guard positions.count > 1 else { return 0 }
        var total = 0.0
        for index in 1..<positions.count {
            total += distance(positions[index - 1], positions[index])
        }
        return total
    }
}
