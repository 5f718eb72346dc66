import CShapelib
import Geometry

/// Turns one shapelib `SHPObject` into a `Geometry`, or into the reason it cannot be one.
///
/// ```swift
/// switch ShapeConversion.geometry(of: shape) {
/// case let .success(geometry, remarks): …
/// case let .failure(reason): …   // "null shape", "empty shape", "MultiPatch is not supported"
/// }
/// ```
/// Z and M are not read (the reader reports them once per file). Polygon rings that are not
/// closed are closed; rings with fewer than three distinct positions are dropped (remarked).
enum ShapeConversion {
    enum Outcome {
        case success(Geometry, remarks: [String])
        case failure(String)
    }

    static func geometry(of shape: UnsafeMutablePointer<SHPObject>) -> Outcome {
        let object = shape.pointee
        let type = object.nSHPType
        let count = Int(object.nVertices)
        if type == SHPT_NULL { return .failure("null shape") }
        if count == 0 { return .failure("empty shape") }
        guard let xs = object.padfX, let ys = object.padfY else { return .failure("empty shape") }
        var positions = [Position]()
        positions.reserveCapacity(count)
        for i in 0..<count {
            let p = Position(x: xs[i], y: ys[i])
            guard p.isFinite else { return .failure("coordinate \(i + 1) is not a finite number") }
            positions.append(p)
        }
        let partStarts: [Int] = {
            let parts = Int(object.nParts)
            guard parts > 0, let starts = object.panPartStart else { return [0] }
            return (0..<parts).map { Int(starts[$0]) }
        }()
        func part(_ k: Int) -> ArraySlice<Position> {
            let start = min(max(partStarts[k], 0), count)
            let end = k + 1 < partStarts.count ? min(max(partStarts[k + 1], start), count) : count
            return positions[start..<end]
        }
        do {
            switch type {
            case SHPT_POINT, SHPT_POINTZ, SHPT_POINTM:
                return .success(.point(try Point(positions[0])), remarks: [])
            case SHPT_MULTIPOINT, SHPT_MULTIPOINTZ, SHPT_MULTIPOINTM:
                return .success(.multiPoint(try MultiPoint(positions: positions)), remarks: [])
            case SHPT_ARC, SHPT_ARCZ, SHPT_ARCM:
                let lines = try partStarts.indices.map { try LineString(Array(part($0))) }
                return .success(lines.count == 1 ? .lineString(lines[0]) : .multiLineString(MultiLineString(lines)),
                                remarks: [])
            case SHPT_POLYGON, SHPT_POLYGONZ, SHPT_POLYGONM:
                return polygon(parts: partStarts.indices.map { Array(part($0)) })
            default:
                return .failure("shape type \(type) (MultiPatch) is not supported")
            }
        } catch {
            return .failure("invalid shape: \(error)")
        }
    }

    private static func polygon(parts: [[Position]]) -> Outcome {
        var remarks: [String] = []
        var rings: [LinearRing] = []
        for (k, var ring) in parts.enumerated() {
            if let first = ring.first, ring.last != first {
                ring.append(first)
                remarks.append("ring \(k + 1) was not closed: closed it")
            }
            var distinct = ring
            distinct.removeLast()
            if Set(distinct).count < 3 {
                remarks.append("ring \(k + 1) has fewer than 3 distinct positions: dropped")
                continue
            }
            // Closed and at least 4 positions, checked just above.
            if let linear = try? LinearRing(ring) { rings.append(linear) }
        }
        let (polygons, assembly) = RingAssembly.polygons(from: rings)
        remarks += assembly
        guard !polygons.isEmpty else { return .failure("polygon has no usable ring") }
        let geometry: Geometry = polygons.count == 1 ? .polygon(polygons[0]) : .multiPolygon(MultiPolygon(polygons))
        return .success(geometry, remarks: remarks)
    }

    /// The OGC name of a shapelib shape type, for messages.
    static func typeName(_ type: Int32) -> String {
        switch type {
        case SHPT_NULL: "Null"
        case SHPT_POINT: "Point"
        case SHPT_ARC: "Arc"
        case SHPT_POLYGON: "Polygon"
        case SHPT_MULTIPOINT: "MultiPoint"
        case SHPT_POINTZ: "PointZ"
        case SHPT_ARCZ: "ArcZ"
        case SHPT_POLYGONZ: "PolygonZ"
        case SHPT_MULTIPOINTZ: "MultiPointZ"
        case SHPT_POINTM: "PointM"
        case SHPT_ARCM: "ArcM"
        case SHPT_POLYGONM: "PolygonM"
        case SHPT_MULTIPOINTM: "MultiPointM"
        case SHPT_MULTIPATCH: "MultiPatch"
        default: "type \(type)"
        }
    }

    static func hasZOrM(_ type: Int32) -> Bool { type > 10 }
}
