import CPROJ

/// Carries coordinates from one coordinate reference system to another.
///
/// ```swift
/// let toUTM = try Transformer(from: .epsg(4326), to: .epsg(32639))
/// let p = try toUTM.transform(Position(x: 51.389, y: 35.689))   // (534 851 E, 3 949 553 N)
/// var many = sites.map(\.position)
/// try toUTM.transform(&many)                                    // in place, in one PROJ call
/// ```
/// Coordinates are always x = longitude or easting, y = latitude or northing, whatever order
/// the systems' authorities give their axes (`EPSG:4326` is latitude first in the EPSG
/// register; here it is longitude first).
///
/// A transformer belongs to one `ProjectionContext` and is not `Sendable`: each task makes
/// its own. `Transformer(from:to:)` makes a fresh context; in a loop, ask one context for
/// its transformers (`context.transformer(from:to:)`), which are cached.
public struct Transformer {
    /// The system coordinates come from.
    public let source: CoordinateReferenceSystem
    /// The system coordinates go to.
    public let target: CoordinateReferenceSystem
    let operation: ProjectionObject
    let context: ProjectionContext

    init(
        source: CoordinateReferenceSystem, target: CoordinateReferenceSystem,
        operation: ProjectionObject, context: ProjectionContext
    ) {
        self.source = source
        self.target = target
        self.operation = operation
        self.context = context
    }

    /// A transformer in `context` (a new context of its own unless one is given).
    ///
    /// - Throws: `GeometryError.transformFailed` when PROJ knows no way between the systems.
    public init(
        from source: CoordinateReferenceSystem, to target: CoordinateReferenceSystem,
        in context: ProjectionContext = ProjectionContext()
    ) throws {
        self = try context.transformer(from: source, to: target)
    }

    /// The transformed position.
    ///
    /// - Throws: `GeometryError.transformFailed` naming the position when PROJ cannot
    ///   transform it (outside the projection's domain, non-finite input …).
    public func transform(_ position: Position) throws -> Position {
        var one = [position]
        try transform(&one)
        return one[0]
    }

    /// Transforms every position in place with one PROJ call.
    ///
    /// On failure the array is left as it was and the error names the first position that
    /// could not be transformed.
    /// - Complexity: O(n) PROJ evaluations, no allocation beyond one copy of the array.
    public func transform(_ positions: inout [Position]) throws {
        guard !positions.isEmpty else { return }
        let original = positions
        let count = positions.count
        let stride = MemoryLayout<Position>.stride
        // cannot fail: `y` is a stored property of the struct, so it has an offset.
        let yOffset = MemoryLayout<Position>.offset(of: \Position.y)!
        let xOffset = MemoryLayout<Position>.offset(of: \Position.x)! // cannot fail: as above
        context.clearError()
        positions.withUnsafeMutableBytes { bytes in
            guard let base = bytes.baseAddress else { return }
            let xs = (base + xOffset).assumingMemoryBound(to: Double.self)
            let ys = (base + yOffset).assumingMemoryBound(to: Double.self)
            _ = proj_trans_generic(
                operation.pointer, PJ_FWD,
                xs, stride, count, ys, stride, count,
                nil, 0, 0, nil, 0, 0)
        }
        if let bad = positions.firstIndex(where: { !$0.isFinite }) {
            positions = original
            throw GeometryError.transformFailed(
                from: source.label, to: target.label,
                message: "position \(bad) \(original[bad]): "
                    + context.lastError(or: "outside the domain of the transformation"))
        }
    }

    /// The transformer going the other way, in the same context.
    public func inverted() throws -> Transformer {
        try context.transformer(from: target, to: source)
    }
}
