import TestSupport
import Foundation
import Geometry


/// The seven geometry types, for choosing one at random or testing each.
enum GeometryKind: CaseIterable, Sendable {
    case point, lineString, polygon, multiPoint, multiLineString, multiPolygon, geometryCollection
}

/// What random geometries look like.
struct RandomGeometryOptions: Sendable {
    /// Longitude (x) range; polygons stay inside it.
    var xRange: ClosedRange<Double> = -180...180
    /// Latitude (y) range; polygons stay inside it.
    var yRange: ClosedRange<Double> = -90...90
    /// Round every coordinate to this many decimals (nil: full double precision).
    var decimals: Int?
    /// Upper bound on positions in a line string and vertices in a ring (at least 6).
    var maxPositions = 12
    /// Upper bound on members of a multi-geometry or collection.
    var maxParts = 4
    /// Upper bound on holes per polygon (0 … 3).
    var maxHoles = 2
    /// How deep geometry collections may nest (1: no collection inside a collection).
    var maxDepth = 2
    /// Produce empty geometries, and empty members where the type allows them.
    var allowEmpty = true
    /// Now and then use awkward coordinates in points and line strings (−0, subnormals, 1e300,
    /// 1/3 …); they leave the x/y ranges.
    var extremeValues = false

    /// Longitude/latitude anywhere on Earth, full precision, empties allowed.
    static let lonLat = RandomGeometryOptions()
}

/// Random valid geometries of every type from a seed.
///
/// Polygons are valid in the OGC sense (GEOS `isValid`): exteriors are star-shaped around
/// their centre, holes lie well inside and apart, members of a multipolygon occupy separate
/// cells. Exteriors are counter-clockwise or clockwise at random, as are holes.
///
/// ```swift
/// var random = RandomGeometry(seed: 42)
/// let g = random.geometry()                     // any type
/// let p = random.geometry(of: .multiPolygon)
/// ```
struct RandomGeometry {
    var rng: SplitMix64
    var options: RandomGeometryOptions

    init(seed: UInt64, options: RandomGeometryOptions = .lonLat) {
        rng = SplitMix64(seed: seed)
        self.options = options
    }

    /// `count` geometries cycling through every kind, so each type is equally represented.
    static func samples(count: Int, seed: UInt64, options: RandomGeometryOptions = .lonLat) -> [Geometry] {
        var random = RandomGeometry(seed: seed, options: options)
        let kinds = GeometryKind.allCases
        return (0..<count).map { random.geometry(of: kinds[$0 % kinds.count]) }
    }

    // MARK: Numbers

    mutating func double(in range: ClosedRange<Double>) -> Double {
        Double.random(in: range, using: &rng)
    }

    mutating func int(in range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }

    func rounded(_ v: Double) -> Double {
        guard let d = options.decimals else { return v }
        var scale = 1.0
        for _ in 0..<d { scale *= 10 }
        return (v * scale).rounded() / scale
    }

    static let extremes: [Double] = [
        0, -0.0, Double.leastNonzeroMagnitude, 2.2250738585072014e-308, 1e-300, 1.7976931348623157e308, -1e300,
        0.1, 1.0 / 3.0, 123_456_789.123_456_79, 1e21, 1e-7, -2.5e-5, 9_007_199_254_740_994,
    ]

    mutating func coordinate(in range: ClosedRange<Double>, allowExtreme: Bool) -> Double {
        if allowExtreme, options.extremeValues, chance(0.15) {
            return Self.extremes[int(in: 0...(Self.extremes.count - 1))]
        }
        return rounded(double(in: range))
    }

    // MARK: Simple geometries

    mutating func position(allowExtreme: Bool = true) -> Position {
        Position(
            x: coordinate(in: options.xRange, allowExtreme: allowExtreme),
            y: coordinate(in: options.yRange, allowExtreme: allowExtreme))
    }

    mutating func point() -> Point {
        // position() only yields finite values: cannot fail.
        try! Point(position())
    }

    /// A line string of 2 … maxPositions distinct consecutive positions (or empty).
    mutating func lineString(allowEmpty: Bool? = nil) -> LineString {
        if allowEmpty ?? options.allowEmpty, chance(0.1) { return try! LineString([]) }
        let n = int(in: 2...max(2, options.maxPositions))
        var positions: [Position] = []
        while positions.count < n {
            let p = position()
            if p != positions.last { positions.append(p) }
        }
        return try! LineString(positions)
    }

    /// A star-shaped ring around `center` with vertex radii in `radii`.
    mutating func ring(
        center: Position, radii: ClosedRange<Double>, vertices: Int, counterClockwise: Bool
    ) -> LinearRing {
        var positions: [Position] = []
        for i in 0..<vertices {
            let angle = 2 * Double.pi * (Double(i) + double(in: 0...0.4)) / Double(vertices)
            let r = double(in: radii)
            positions.append(Position(x: rounded(center.x + r * cos(angle)), y: rounded(center.y + r * sin(angle))))
        }
        positions.append(positions[0])
        if !counterClockwise { positions.reverse() }
        return try! LinearRing(positions)
    }

    /// A valid polygon inside `box` (default: the whole coordinate range), maybe with holes.
    mutating func polygon(in box: BoundingBox? = nil, allowEmpty: Bool? = nil) -> Polygon {
        if allowEmpty ?? options.allowEmpty, chance(0.1) { return .empty }
        let b = box ?? BoundingBox(
            minX: options.xRange.lowerBound, minY: options.yRange.lowerBound,
            maxX: options.xRange.upperBound, maxY: options.yRange.upperBound)
        let radius = 0.45 * min(b.width, b.height)
        let holeCount = options.maxHoles > 0 ? int(in: 0...min(3, options.maxHoles)) : 0
        let minVertices = holeCount > 0 ? 6 : 3
        let exterior = ring(
            center: b.center, radii: (0.5 * radius)...radius,
            vertices: int(in: minVertices...max(minVertices, options.maxPositions)), counterClockwise: chance(0.5))
        var holes: [LinearRing] = []
        for h in 0..<holeCount {
            let angle = 2 * Double.pi * Double(h) / Double(holeCount)
            let c = Position(x: b.center.x + 0.18 * radius * cos(angle), y: b.center.y + 0.18 * radius * sin(angle))
            holes.append(ring(
                center: c, radii: (0.04 * radius)...(0.08 * radius), vertices: int(in: 3...6),
                counterClockwise: chance(0.5)))
        }
        return Polygon(exterior: exterior, holes: holes)
    }

    // MARK: Collections

    mutating func partCount() -> Int {
        int(in: (options.allowEmpty ? 0 : 1)...max(1, options.maxParts))
    }

    mutating func multiPoint() -> MultiPoint {
        MultiPoint((0..<partCount()).map { _ in point() })
    }

    mutating func multiLineString() -> MultiLineString {
        MultiLineString((0..<partCount()).map { _ in lineString() })
    }

    /// Polygons in separate vertical strips of the range, so they never overlap.
    mutating func multiPolygon() -> MultiPolygon {
        let n = partCount()
        let width = (options.xRange.upperBound - options.xRange.lowerBound) / Double(max(n, 1))
        return MultiPolygon((0..<n).map { i in
            let minX = options.xRange.lowerBound + Double(i) * width
            let box = BoundingBox(
                minX: minX, minY: options.yRange.lowerBound, maxX: minX + width, maxY: options.yRange.upperBound)
            return polygon(in: box)
        })
    }

    mutating func geometryCollection(depth: Int = 1) -> GeometryCollection {
        GeometryCollection((0..<partCount()).map { _ in
            var kind = GeometryKind.allCases[int(in: 0...6)]
            if kind == .geometryCollection && depth >= options.maxDepth { kind = .point }
            return geometry(of: kind, depth: depth + 1)
        })
    }

    // MARK: Any

    mutating func geometry(of kind: GeometryKind, depth: Int = 1) -> Geometry {
        switch kind {
        case .point: .point(point())
        case .lineString: .lineString(lineString())
        case .polygon: .polygon(polygon())
        case .multiPoint: .multiPoint(multiPoint())
        case .multiLineString: .multiLineString(multiLineString())
        case .multiPolygon: .multiPolygon(multiPolygon())
        case .geometryCollection: .geometryCollection(geometryCollection(depth: depth))
        }
    }

    mutating func geometry() -> Geometry {
        geometry(of: GeometryKind.allCases[int(in: 0...6)])
    }
}
