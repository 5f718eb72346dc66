/// A closed ring of at least four positions, the last equal to the first.
///
/// Orientation is not imposed: readers keep what they are given, writers that have a
/// convention (GeoJSON's right-hand rule, MVT's winding) orient rings themselves.
public struct LinearRing: Hashable, Sendable {
    public let positions: [Position]

    /// - Throws: `tooFewPositions` below four positions, `ringNotClosed` when the last
    ///   position differs from the first, `nonFiniteCoordinate` for NaN or infinite values.
    public init(_ positions: [Position]) throws {
        guard positions.count >= 4 else {
            throw GeometryError.tooFewPositions(kind: "linear ring", count: positions.count, minimum: 4)
        }
        if let bad = positions.first(where: { !$0.isFinite }) {
            throw GeometryError.nonFiniteCoordinate(bad)
        }
        // `positions.count >= 4` was checked above, so first and last exist.
        let first = positions[0], last = positions[positions.count - 1]
        guard first == last else { throw GeometryError.ringNotClosed(first: first, last: last) }
        self.positions = positions
    }

    /// Twice the signed planar area (shoelace); positive when counter-clockwise.
    public var signedArea2: Double {
        var sum = 0.0
        for i in 0..<(positions.count - 1) {
            let a = positions[i], b = positions[i + 1]
            sum += a.x * b.y - b.x * a.y
        }
        return sum
    }

    /// Counter-clockwise in the x-y plane (GeoJSON's orientation for exterior rings).
    public var isCounterClockwise: Bool { signedArea2 > 0 }

    /// The same ring traversed the other way.
    public var reversed: LinearRing { LinearRing(unchecked: positions.reversed()) }

    init(unchecked positions: [Position]) { self.positions = positions }
}

/// An area: an exterior ring and any number of holes. A polygon with no rings is empty.
public struct Polygon: Hashable, Sendable {
    /// Exterior ring first, then the holes. Empty for the empty polygon.
    public let rings: [LinearRing]

    public init(exterior: LinearRing, holes: [LinearRing] = []) {
        self.rings = [exterior] + holes
    }

    /// Rings given as position arrays, exterior first.
    public init(rings: [[Position]]) throws {
        self.rings = try rings.map(LinearRing.init)
    }

    init(uncheckedRings rings: [LinearRing]) { self.rings = rings }

    /// The empty polygon.
    public static let empty = Polygon(emptyRings: ())
    private init(emptyRings: Void) { self.rings = [] }

    public var exterior: LinearRing? { rings.first }
    public var holes: ArraySlice<LinearRing> { rings.dropFirst() }
    public var isEmpty: Bool { rings.isEmpty }
}

/// Several polygons as one geometry.
public struct MultiPolygon: Hashable, Sendable {
    public let polygons: [Polygon]

    public init(_ polygons: [Polygon]) { self.polygons = polygons }

    public var isEmpty: Bool { polygons.allSatisfy(\.isEmpty) }
}
