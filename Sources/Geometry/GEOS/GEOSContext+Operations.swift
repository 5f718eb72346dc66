import CGEOS

extension GEOSContext {
    // MARK: Validity

    /// Validity with GEOS's reason and location.
    public func validity(_ geometry: Geometry) throws -> Validity {
        let g = try make(geometry)
        var reason: UnsafeMutablePointer<CChar>?
        var location: OpaquePointer?
        let result = GEOSisValidDetail_r(handle, g.pointer, 0, &reason, &location)
        let text = takeString(reason)
        var where_: Position?
        if let location {
            let owned = GEOSObject(location, context: self)
            if case let .point(p) = try value(owned) { where_ = p.position }
        }
        switch result {
        case 1: return Validity(isValid: true, reason: nil, location: nil)
        case 0: return Validity(isValid: false, reason: text ?? "invalid", location: where_)
        default: throw failure("isValidDetail")
        }
    }

    /// A valid geometry covering what the input meant; valid input comes back unchanged in shape.
    ///
    /// Example: the bowtie `POLYGON((0 0, 1 1, 1 0, 0 1, 0 0))` becomes a multipolygon of two
    /// triangles with the same total area.
    public func makeValid(_ geometry: Geometry, method: RepairMethod = .structure) throws -> Geometry {
        let g = try make(geometry)
        guard let params = GEOSMakeValidParams_create_r(handle) else { throw failure("makeValid") }
        defer { GEOSMakeValidParams_destroy_r(handle, params) }
        let m = method == .structure ? GEOS_MAKE_VALID_STRUCTURE : GEOS_MAKE_VALID_LINEWORK
        GEOSMakeValidParams_setMethod_r(handle, params, m)
        GEOSMakeValidParams_setKeepCollapsed_r(handle, params, 0)
        return try value(own(GEOSMakeValidWithParams_r(handle, g.pointer, params), "makeValid"))
    }

    // MARK: Overlay

    public func intersection(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "intersection", GEOSIntersection_r)
    }

    public func union(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "union", GEOSUnion_r)
    }

    public func difference(_ a: Geometry, _ b: Geometry) throws -> Geometry {
        try binary(a, b, "difference", GEOSDifference_r)
    }

    /// The union of many geometries at once (cascaded), far faster than folding `union`.
    public func union(_ geometries: [Geometry]) throws -> Geometry {
        let collection = try make(.geometryCollection(GeometryCollection(geometries)))
        return try value(own(GEOSUnaryUnion_r(handle, collection.pointer), "union"))
    }

    private func binary(
        _ a: Geometry, _ b: Geometry, _ name: String,
        _ op: (GEOSContextHandle_t?, OpaquePointer?, OpaquePointer?) -> OpaquePointer?
    ) throws -> Geometry {
        let ga = try make(a), gb = try make(b)
        return try value(own(op(handle, ga.pointer, gb.pointer), name))
    }

    // MARK: Construction

    /// Planar buffer in the geometry's own units (degrees for lon/lat; for metres on the
    /// ellipsoid use `Geodesic.buffer`). `quadrantSegments` sets the smoothness of curves.
    public func buffer(_ geometry: Geometry, distance: Double, quadrantSegments: Int32 = 16) throws -> Geometry {
        let g = try make(geometry)
        return try value(own(GEOSBuffer_r(handle, g.pointer, distance, quadrantSegments), "buffer"))
    }

    /// Douglas–Peucker simplification that keeps topology: rings stay rings and never cross.
    public func simplify(_ geometry: Geometry, tolerance: Double) throws -> Geometry {
        let g = try make(geometry)
        return try value(own(GEOSTopologyPreserveSimplify_r(handle, g.pointer, tolerance), "simplify"))
    }

    /// The part of a geometry inside an axis-aligned rectangle (fast; may be invalid for
    /// invalid input, as GEOS documents).
    public func clip(_ geometry: Geometry, to box: BoundingBox) throws -> Geometry {
        let g = try make(geometry)
        return try value(own(GEOSClipByRect_r(handle, g.pointer, box.minX, box.minY, box.maxX, box.maxY), "clip"))
    }

    /// The centre of mass (planar); for an empty input, an empty collection.
    public func centroid(_ geometry: Geometry) throws -> Geometry {
        try unary(geometry, "centroid", GEOSGetCentroid_r)
    }

    /// A point guaranteed to lie on the geometry (inside a polygon, on a line).
    public func pointOnSurface(_ geometry: Geometry) throws -> Geometry {
        try unary(geometry, "pointOnSurface", GEOSPointOnSurface_r)
    }

    /// The bounding rectangle as a polygon (a point for a point).
    public func envelope(_ geometry: Geometry) throws -> Geometry {
        try unary(geometry, "envelope", GEOSEnvelope_r)
    }

    /// The canonical form GEOS defines: rings start at their lowest point, members sorted.
    public func normalize(_ geometry: Geometry) throws -> Geometry {
        let g = try make(geometry)
        guard GEOSNormalize_r(handle, g.pointer) == 0 else { throw failure("normalize") }
        return try value(g)
    }

    /// Planar area in the geometry's units squared (for m² on the ellipsoid, `Geodesic.area`).
    public func planarArea(_ geometry: Geometry) throws -> Double {
        let g = try make(geometry)
        var area = 0.0
        guard GEOSArea_r(handle, g.pointer, &area) != 0 else { throw failure("area") }
        return area
    }

    private func unary(
        _ geometry: Geometry, _ name: String,
        _ op: (GEOSContextHandle_t?, OpaquePointer?) -> OpaquePointer?
    ) throws -> Geometry {
        let g = try make(geometry)
        return try value(own(op(handle, g.pointer), name))
    }
}
