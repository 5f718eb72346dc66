// Initialisers for readers that have already checked what the public initialisers check
// (position counts, closure, finiteness), so that decoding does not validate twice.

extension Point {
    /// `position` must be finite.
    init(validatedPosition position: Position) { self.position = position }
}

extension LineString {
    /// `positions` must be empty or hold at least two finite positions.
    init(validatedPositions positions: [Position]) { self.positions = positions }
}

extension Polygon {
    /// `rings` are valid linear rings, exterior first; empty for the empty polygon.
    init(validatedRings rings: [LinearRing]) { self.rings = rings }
}
