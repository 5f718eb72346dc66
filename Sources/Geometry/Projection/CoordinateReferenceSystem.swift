import CPROJ

/// A coordinate reference system, kept as PROJ's normalised definition (PROJJSON).
///
/// ```swift
/// let utm = try CoordinateReferenceSystem("EPSG:32639")
/// utm.epsgCode       // 32639
/// utm.isGeographic   // false
/// utm.axisUnit       // "metre"
/// let prj = try CoordinateReferenceSystem(String(contentsOfFile: "sites.prj"))  // ESRI WKT
/// ```
/// Accepted: `EPSG:n` (any case), OGC WKT1 and WKT2, ESRI WKT as found in shapefile `.prj`
/// files, PROJJSON, and PROJ strings (`+proj=utm +zone=39 +datum=WGS84`; `+type=crs` is added
/// when missing). The EPSG code is the definition's own (an `AUTHORITY` or `ID`) or, when it
/// has none, the EPSG entry PROJ identifies with at least 70% confidence.
///
/// Two values are equal when their definitions are: an ESRI `.prj` and `EPSG:4326` describe
/// the same system but are different values (compare `epsgCode` to match them).
public struct CoordinateReferenceSystem: Hashable, Sendable, CustomStringConvertible {
    /// The normalised definition (PROJJSON), from which PROJ rebuilds the system.
    public let definition: String
    /// The system's name (`WGS 84 / UTM zone 39N`).
    public let name: String
    /// The EPSG code, when the system is or matches an EPSG entry.
    public let epsgCode: Int?
    /// Longitude and latitude in angular units (as opposed to projected, geocentric …).
    public let isGeographic: Bool
    /// The unit of the first axis, as PROJ names it: `degree`, `metre`, `US survey foot` …
    public let axisUnit: String
    /// How many metres (or radians, for angular units) one axis unit is.
    public let axisUnitFactor: Double
    /// PROJ's kind of system (of its horizontal part): `geographic`, `projected`, `vertical` …
    public let kind: String
    /// Whether it places positions on the surface (not vertical, temporal or geocentric); a
    /// vertical CRS such as `EPSG:5773` does not (see `requireHorizontal()`).
    public let isHorizontal: Bool

    /// Parses a definition in the calling thread's `ProjectionContext.current`.
    ///
    /// - Throws: `GeometryError.unknownCRS` with PROJ's message when PROJ cannot read it or
    ///   it is not a coordinate reference system.
    public init(_ definition: String) throws {
        try self.init(definition, in: ProjectionContext.current)
    }

    /// Parses a definition in the given context.
    public init(_ definition: String, in context: ProjectionContext) throws {
        let text = CoordinateReferenceSystem.prepared(definition)
        let object: ProjectionObject
        do {
            object = try context.makeObject(text)
        } catch let GeometryError.unknownCRS(_, message) {
            throw GeometryError.unknownCRS(definition: definition, message: message)
        }
        let crs = object.pointer
        guard proj_is_crs(crs) != 0 else {
            throw GeometryError.unknownCRS(
                definition: definition, message: "not a coordinate reference system")
        }
        guard let json = proj_as_projjson(context.pointer, crs, nil) else {
            throw GeometryError.unknownCRS(
                definition: definition, message: context.lastError(or: "cannot be written as PROJJSON"))
        }
        self.definition = String(cString: json)
        self.name = proj_get_name(crs).map { String(cString: $0) } ?? "unknown"
        self.epsgCode = CoordinateReferenceSystem.identifyEPSG(crs, in: context)
        let horizontal = CoordinateReferenceSystem.horizontalCRS(of: object, in: context)
        let type = proj_get_type(horizontal.pointer)
        let kind = CoordinateReferenceSystem.kind(of: horizontal)
        self.kind = kind
        self.isHorizontal = CoordinateReferenceSystem.isHorizontal(kind: kind)
        self.isGeographic = type == PJ_TYPE_GEOGRAPHIC_2D_CRS || type == PJ_TYPE_GEOGRAPHIC_3D_CRS
        let unit = CoordinateReferenceSystem.firstAxisUnit(of: horizontal, in: context)
        self.axisUnit = unit.name
        self.axisUnitFactor = unit.factor
    }

    /// The EPSG system with this code.
    public static func epsg(_ code: Int) throws -> CoordinateReferenceSystem {
        try CoordinateReferenceSystem("EPSG:\(code)")
    }

    /// `EPSG:n` when there is a code, else the name: what errors and logs call the system.
    public var label: String { epsgCode.map { "EPSG:\($0)" } ?? name }

    public var description: String { label }

    /// The text handed to `proj_create`: trimmed, and a PROJ string made a CRS.
    static func prepared(_ definition: String) -> String {
        let text = definition.trimmingSpaces
        let isProjString = text.hasPrefix("+") || text.hasPrefix("proj=")
        if isProjString && !text.contains("type=crs") { return text + " +type=crs" }
        return text
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (and a BOM).
    var trimmingSpaces: String {
        let blank: (Character) -> Bool = { $0.isWhitespace || $0 == "\u{FEFF}" }
        guard let start = firstIndex(where: { !blank($0) }),
              let end = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[start...end])
    }
}
