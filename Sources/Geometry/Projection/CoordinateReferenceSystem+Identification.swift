import CPROJ

extension CoordinateReferenceSystem {
    /// The lowest confidence (percent) at which `proj_identify` is trusted for an EPSG code.
    static let identificationConfidence: Int32 = 70

    /// The system's own EPSG code, or the best EPSG match PROJ finds at 70% or more.
    ///
    /// Definitions without an authority (ESRI WKT, WKT without `AUTHORITY`, PROJ strings) are
    /// compared with the EPSG entries; the first candidate PROJ lists (highest confidence)
    /// wins.
    static func identifyEPSG(_ crs: OpaquePointer, in context: ProjectionContext) -> Int? {
        if let authority = proj_get_id_auth_name(crs, 0), String(cString: authority) == "EPSG",
           let code = proj_get_id_code(crs, 0) {
            return Int(String(cString: code))
        }
        var confidence: UnsafeMutablePointer<Int32>?
        guard let candidates = proj_identify(context.pointer, crs, "EPSG", nil, &confidence) else {
            return nil
        }
        defer {
            proj_list_destroy(candidates)
            proj_int_list_destroy(confidence)
        }
        let count = proj_list_get_count(candidates)
        var best: (code: Int, confidence: Int32)?
        for index in 0..<count {
            let level = confidence?[Int(index)] ?? 0
            guard level >= identificationConfidence, level > (best?.confidence ?? -1),
                  let candidate = proj_list_get(context.pointer, candidates, index) else { continue }
            defer { proj_destroy(candidate) }
            if let code = proj_get_id_code(candidate, 0), let value = Int(String(cString: code)) {
                best = (value, level)
            }
        }
        return best?.code
    }

    /// The horizontal part of a system: the source of a bound CRS, the first part of a
    /// compound one, else the system itself.
    static func horizontalCRS(of object: ProjectionObject, in context: ProjectionContext) -> ProjectionObject {
        switch proj_get_type(object.pointer) {
        case PJ_TYPE_BOUND_CRS:
            if let source = proj_get_source_crs(context.pointer, object.pointer) {
                return horizontalCRS(of: ProjectionObject(source), in: context)
            }
        case PJ_TYPE_COMPOUND_CRS:
            if let first = proj_crs_get_sub_crs(context.pointer, object.pointer, 0) {
                return horizontalCRS(of: ProjectionObject(first), in: context)
            }
        default:
            break
        }
        return object
    }

    /// The unit name and its factor to SI for the first axis of a (horizontal) CRS.
    static func firstAxisUnit(
        of crs: ProjectionObject, in context: ProjectionContext
    ) -> (name: String, factor: Double) {
        guard let system = proj_crs_get_coordinate_system(context.pointer, crs.pointer) else {
            return ("unknown", 1)
        }
        defer { proj_destroy(system) }
        var unitName: UnsafePointer<CChar>?
        var factor = 1.0
        let found = proj_cs_get_axis_info(
            context.pointer, system, 0, nil, nil, nil, &factor, &unitName, nil, nil)
        guard found != 0 else { return ("unknown", 1) }
        return (unitName.map { String(cString: $0) } ?? "unknown", factor)
    }
}
