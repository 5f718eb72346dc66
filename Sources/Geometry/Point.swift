/// A single position. GraveAtlas has no empty point: a record without a location is a record
/// without geometry, which the importer reports rather than storing.
public struct Point: Hashable, Sendable {
    public let position: Position

    /// - Throws: `GeometryError.nonFiniteCoordinate` for NaN or infinite coordinates.
    public init(_ position: Position) throws {
        guard position.isFinite else { throw GeometryError.nonFiniteCoordinate(position) }
        self.position = position
    }

    public init(x: Double, y: Double) throws {
        try self.init(Position(x: x, y: y))
    }

    /// For producers that already guarantee a finite position.
    init(unchecked position: Position) { self.position = position }
}

/// Several points as one geometry.
public struct MultiPoint: Hashable, Sendable {
    public let points: [Point]

    public init(_ points: [Point]) { self.points = points }

    public init(positions: [Position]) throws {
        self.points = try positions.map { try Point($0) }
    }

    public var isEmpty: Bool { points.isEmpty }
}
