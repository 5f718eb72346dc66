extension Geometry {
    /// This geometry carried from one coordinate reference system to another, using the
    /// calling thread's `ProjectionContext.current` (its transformations are cached).
    ///
    /// ```swift
    /// let outline = try Geometry.polygon(parcel)
    ///     .transformed(from: .epsg(32639), to: .epsg(4326))
    /// ```
    /// - Throws: `GeometryError.transformFailed` naming the first position that fails.
    public func transformed(
        from source: CoordinateReferenceSystem, to target: CoordinateReferenceSystem
    ) throws -> Geometry {
        try ProjectionContext.current.transformer(from: source, to: target).transform(self)
    }
}

extension Position {
    /// This position carried from one system to another in `ProjectionContext.current`.
    public func transformed(
        from source: CoordinateReferenceSystem, to target: CoordinateReferenceSystem
    ) throws -> Position {
        try ProjectionContext.current.transformer(from: source, to: target).transform(self)
    }
}
