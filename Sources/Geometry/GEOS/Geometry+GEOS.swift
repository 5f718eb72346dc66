/// Convenience forms of the GEOS operations on the value itself, using this thread's context.
/// For bulk work, hold a `GEOSContext` (and `PreparedGeometry`) instead.
extension Geometry {
    public var validity: Validity { get throws { try GEOSContext.current().validity(self) } }
    public var isValid: Bool { get throws { try validity.isValid } }

    public func makeValid(method: RepairMethod = .structure) throws -> Geometry {
        try GEOSContext.current().makeValid(self, method: method)
    }

    public func relate(_ predicate: SpatialPredicate, _ other: Geometry) throws -> Bool {
        try GEOSContext.current().relate(self, predicate, other)
    }

    public func intersects(_ other: Geometry) throws -> Bool { try relate(.intersects, other) }
    public func contains(_ other: Geometry) throws -> Bool { try relate(.contains, other) }
    public func within(_ other: Geometry) throws -> Bool { try relate(.within, other) }
    public func overlaps(_ other: Geometry) throws -> Bool { try relate(.overlaps, other) }
    public func touches(_ other: Geometry) throws -> Bool { try relate(.touches, other) }
    public func covers(_ other: Geometry) throws -> Bool { try relate(.covers, other) }

    public func intersection(_ other: Geometry) throws -> Geometry {
        try GEOSContext.current().intersection(self, other)
    }

    public func union(_ other: Geometry) throws -> Geometry { try GEOSContext.current().union(self, other) }

    public func difference(_ other: Geometry) throws -> Geometry {
        try GEOSContext.current().difference(self, other)
    }

    public func simplified(tolerance: Double) throws -> Geometry {
        try GEOSContext.current().simplify(self, tolerance: tolerance)
    }

    public func clipped(to box: BoundingBox) throws -> Geometry { try GEOSContext.current().clip(self, to: box) }
    public var centroid: Geometry { get throws { try GEOSContext.current().centroid(self) } }
    public var pointOnSurface: Geometry { get throws { try GEOSContext.current().pointOnSurface(self) } }
    public var envelope: Geometry { get throws { try GEOSContext.current().envelope(self) } }
    public var normalized: Geometry { get throws { try GEOSContext.current().normalize(self) } }
}
