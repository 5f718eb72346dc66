/// Any geometry GraveAtlas handles, as a value.
///
/// ```swift
/// let site = Geometry.point(try Point(x: 51.389, y: 35.689))
/// site.boundingBox   // BoundingBox(minX: 51.389, minY: 35.689, maxX: 51.389, maxY: 35.689)
/// ```
/// Coordinates are two-dimensional; readers drop Z and M and say so.
public indirect enum Geometry: Hashable, Sendable {
    case point(Point)
    case lineString(LineString)
    case polygon(Polygon)
    case multiPoint(MultiPoint)
    case multiLineString(MultiLineString)
    case multiPolygon(MultiPolygon)
    case geometryCollection(GeometryCollection)

    /// The OGC name of the type, as in WKT (`Point`, `MultiPolygon`, …).
    public var typeName: String {
        switch self {
        case .point: "Point"
        case .lineString: "LineString"
        case .polygon: "Polygon"
        case .multiPoint: "MultiPoint"
        case .multiLineString: "MultiLineString"
        case .multiPolygon: "MultiPolygon"
        case .geometryCollection: "GeometryCollection"
        }
    }

    /// The OGC geometry type code used by WKB (1 … 7).
    public var wkbTypeCode: UInt32 {
        switch self {
        case .point: 1
        case .lineString: 2
        case .polygon: 3
        case .multiPoint: 4
        case .multiLineString: 5
        case .multiPolygon: 6
        case .geometryCollection: 7
        }
    }

    public var isEmpty: Bool {
        switch self {
        case .point: false
        case let .lineString(g): g.isEmpty
        case let .polygon(g): g.isEmpty
        case let .multiPoint(g): g.isEmpty
        case let .multiLineString(g): g.isEmpty
        case let .multiPolygon(g): g.isEmpty
        case let .geometryCollection(g): g.isEmpty
        }
    }

    /// Every position, in order (rings include their closing position).
    public var positions: [Position] {
        var out: [Position] = []
        forEachPosition { out.append($0) }
        return out
    }

    /// Calls `body` on every position, in order, without allocating.
    public func forEachPosition(_ body: (Position) -> Void) {
        switch self {
        case let .point(p): body(p.position)
        case let .lineString(l): l.positions.forEach(body)
        case let .polygon(p): for r in p.rings { r.positions.forEach(body) }
        case let .multiPoint(m): for p in m.points { body(p.position) }
        case let .multiLineString(m): for l in m.lineStrings { l.positions.forEach(body) }
        case let .multiPolygon(m): for p in m.polygons { for r in p.rings { r.positions.forEach(body) } }
        case let .geometryCollection(c): for g in c.geometries { g.forEachPosition(body) }
        }
    }

    /// The smallest axis-aligned box holding every position; nil when empty.
    public var boundingBox: BoundingBox? {
        var box: BoundingBox?
        forEachPosition { p in
            if box == nil { box = BoundingBox(p) } else { box?.extend(p) }
        }
        return box
    }
}

/// Any geometries together as one.
public struct GeometryCollection: Hashable, Sendable {
    public let geometries: [Geometry]

    public init(_ geometries: [Geometry]) { self.geometries = geometries }

    public var isEmpty: Bool { geometries.allSatisfy(\.isEmpty) }
}
