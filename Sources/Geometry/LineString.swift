/// A connected sequence of positions: empty, or at least two positions.
public struct LineString: Hashable, Sendable {
    public let positions: [Position]

    /// - Throws: `tooFewPositions` for a single position, `nonFiniteCoordinate` for NaN or
    ///   infinite coordinates. An empty array makes the empty line string.
    public init(_ positions: [Position]) throws {
        if positions.count == 1 {
            throw GeometryError.tooFewPositions(kind: "line string", count: 1, minimum: 2)
        }
        if let bad = positions.first(where: { !$0.isFinite }) {
            throw GeometryError.nonFiniteCoordinate(bad)
        }
        self.positions = positions
    }

    public var isEmpty: Bool { positions.isEmpty }

    /// For producers that already guarantee the invariants (GEOS output, decoders that checked).
    init(unchecked positions: [Position]) { self.positions = positions }
}

/// Several line strings as one geometry.
public struct MultiLineString: Hashable, Sendable {
    public let lineStrings: [LineString]

    public init(_ lineStrings: [LineString]) { self.lineStrings = lineStrings }

    public var isEmpty: Bool { lineStrings.allSatisfy(\.isEmpty) }
}
