import Geometry

/// Carries the geometries of one source into site geometry: reprojected to EPSG:4326
/// (longitude first), checked to be longitude/latitude, reduced to a point, polygon or
/// multipolygon, and repaired when invalid.
///
/// ```swift
/// let preparation = try GeometryPreparation(crs: source.crsDefinition, override: "--crs value", file: name)
/// switch try preparation.prepare(geometry, record: 7) {
/// case let .site(geometry, notes): …   // notes: repaired(reason:) …
/// case let .rejected(reason): …        // "a line is not a site …"
/// }
/// ```
/// Without any CRS the coordinates are taken as longitude/latitude, and the first that
/// cannot be is `ImportError.missingCRS` (the message suggests `--crs`).
/// Holds its own PROJ and GEOS contexts: one preparation per task.
final class GeometryPreparation {
    enum Outcome {
        case site(Geometry, notes: [RecordNote])
        case rejected(String)
    }

    let file: String
    /// The source system, nil when the data is (taken to be) longitude/latitude already.
    let source: CoordinateReferenceSystem?
    private let transformer: Transformer?
    private let geos: GEOSContext
    private let assumedLonLat: Bool

    /// - Parameters:
    ///   - crs: what the file declares (`.prj` text, `EPSG:n`, srs WKT), if anything.
    ///   - override: `--crs`, which wins over the file.
    /// - Throws: `ImportError.unusableCRS` when PROJ cannot read the definition or transform
    ///   from it to EPSG:4326.
    init(crs: String?, override: String?, file: String) throws {
        self.file = file
        geos = try GEOSContext()
        let definition = override ?? crs
        assumedLonLat = definition == nil
        guard let definition else {
            source = nil
            transformer = nil
            return
        }
        let context = ProjectionContext()
        do {
            let system = try CoordinateReferenceSystem(CRSName.normalised(definition), in: context)
            let wgs84 = try CoordinateReferenceSystem("EPSG:4326", in: context)
            source = system
            if system.epsgCode == 4326 || system == wgs84 {
                transformer = nil
            } else {
                transformer = try context.transformer(from: system, to: wgs84)
            }
        } catch {
            throw ImportError.unusableCRS(file: file, reason: "\(error)")
        }
    }

    func prepare(_ geometry: Geometry, record: Int) throws -> Outcome {
        var geometry = geometry
        switch siteShape(geometry) {
        case let .failure(reason): return .rejected(reason.text)
        case let .success(shape): geometry = shape
        }
        if assumedLonLat, let bad = GeometryPreparation.firstOutsideLonLat(geometry) {
            throw ImportError.missingCRS(file: file, record: record, x: bad.x, y: bad.y)
        }
        if let transformer {
            do {
                geometry = try transformer.transform(geometry)
            } catch {
                return .rejected("cannot reproject: \(error)")
            }
            if let bad = GeometryPreparation.firstOutsideLonLat(geometry) {
                return .rejected("reprojected coordinates \(bad) are not longitude/latitude: is the CRS right?")
            }
        }
        var notes: [RecordNote] = []
        if case .point = geometry { return .site(geometry, notes: notes) }
        let validity = try geos.validity(geometry)
        if !validity.isValid {
            let reason = validity.reason ?? "invalid"
            let whereText = validity.location.map { " at \($0)" } ?? ""
            let repaired = try geos.makeValid(geometry, method: .structure)
            guard case let .success(areal) = GeometryPreparation.areal(repaired), !areal.isEmpty else {
                return .rejected("invalid polygon (\(reason)\(whereText)) has no area once repaired")
            }
            geometry = areal
            notes.append(.repaired(reason: reason + whereText))
        }
        return .site(geometry, notes: notes)
    }

    struct Reason: Error { let text: String }

    /// A point, polygon or multipolygon, or why the geometry cannot be a site.
    private func siteShape(_ geometry: Geometry) -> Result<Geometry, Reason> {
        switch geometry {
        case .point, .polygon, .multiPolygon:
            return geometry.isEmpty ? .failure(Reason(text: "empty geometry")) : .success(geometry)
        case let .multiPoint(m):
            if m.points.count == 1 { return .success(.point(m.points[0])) }
            return .failure(Reason(text: "a MultiPoint of \(m.points.count) points is not one site: split it first"))
        case .lineString, .multiLineString:
            return .failure(Reason(text: "a \(geometry.typeName) is not a site (sites are points or areas)"))
        case .geometryCollection:
            let areal = GeometryPreparation.areal(geometry)
            if case let .success(g) = areal, !g.isEmpty { return .success(g) }
            return .failure(Reason(text: "a GeometryCollection that is not only polygons is not a site"))
        }
    }

    /// The polygons of a geometry as one polygon or multipolygon, or a failure when it has
    /// anything else.
    static func areal(_ geometry: Geometry) -> Result<Geometry, Reason> {
        var polygons: [Polygon] = []
        var other = false
        func visit(_ g: Geometry) {
            switch g {
            case let .polygon(p): if !p.isEmpty { polygons.append(p) }
            case let .multiPolygon(m): polygons += m.polygons.filter { !$0.isEmpty }
            case let .geometryCollection(c): c.geometries.forEach(visit)
            default: if !g.isEmpty { other = true }
            }
        }
        visit(geometry)
        if other && polygons.isEmpty { return .failure(Reason(text: "no area")) }
        if polygons.count == 1 { return .success(.polygon(polygons[0])) }
        return .success(.multiPolygon(MultiPolygon(polygons)))
    }

    static func firstOutsideLonLat(_ geometry: Geometry) -> Position? {
        var bad: Position?
        geometry.forEachPosition { p in
            if bad == nil, !(p.x >= -180 && p.x <= 180 && p.y >= -90 && p.y <= 90) { bad = p }
        }
        return bad
    }
}
