import Geometry

/// Turns a geometry in zoom pixel space into the valid integer `TileGeometry` of one tile:
/// clipped to the tile and its buffer, rounded to tile units, cleaned, validated, oriented.
///
/// ```swift
/// let shaper = TileShaper(context: try GEOSContext(), extent: 4096, buffer: 64)
/// let g = try shaper.polygons(pixelGeometry, tile: TileCoordinate(z: 10, x: 658, y: 403))
/// ```
/// Edge cases: rings that collapse when rounded (fewer than three distinct corners, zero area)
/// are dropped, and a polygon whose exterior collapses is dropped whole; a ring set that GEOS
/// finds invalid after rounding is repaired with `makeValid` and rounded again, and dropped if
/// it still is not valid. Exterior rings come out with positive area in tile units (clockwise
/// on screen, as MVT 2.1 asks), holes negative.
struct TileShaper {
    let context: GEOSContext
    let extent: Int
    let buffer: Int

    /// The clip rectangle of a tile in zoom pixel space.
    func clipBox(_ tile: TileCoordinate) -> BoundingBox {
        let e = Double(extent), b = Double(buffer)
        return BoundingBox(
            minX: Double(tile.x) * e - b, minY: Double(tile.y) * e - b,
            maxX: Double(tile.x + 1) * e + b, maxY: Double(tile.y + 1) * e + b)
    }

    func clipped(_ geometry: Geometry, box geometryBox: BoundingBox, tile: TileCoordinate) throws -> Geometry {
        let clip = clipBox(tile)
        let inside = geometryBox.minX >= clip.minX && geometryBox.maxX <= clip.maxX
            && geometryBox.minY >= clip.minY && geometryBox.maxY <= clip.maxY
        return inside ? geometry : try context.clip(geometry, to: clip)
    }

    func local(_ p: Position, _ tile: TileCoordinate) -> TilePoint {
        let e = Double(extent)
        return TilePoint(
            x: Int32((p.x - Double(tile.x) * e).rounded()),
            y: Int32((p.y - Double(tile.y) * e).rounded()))
    }

    /// The polygons of `geometry` in this tile; empty when nothing survives.
    func polygons(_ geometry: Geometry, box: BoundingBox, tile: TileCoordinate) throws -> [[TilePoint]] {
        let part = try clipped(geometry, box: box, tile: tile)
        var polygons = rounded(part.polygonParts, tile: tile)
        for attempt in 0..<2 {
            guard !polygons.isEmpty else { return [] }
            let asGeometry = try Self.geometry(polygons)
            if try context.validity(asGeometry).isValid { break }
            if attempt == 1 { return [] }
            let repaired = try context.makeValid(asGeometry)
            polygons = rounded(repaired.polygonParts, tile: TileCoordinate(z: tile.z, x: 0, y: 0), offset: false)
        }
        return Self.oriented(polygons)
    }

    /// The lines of `geometry` in this tile.
    func lines(_ geometry: Geometry, box: BoundingBox, tile: TileCoordinate) throws -> [[TilePoint]] {
        let part = try clipped(geometry, box: box, tile: tile)
        return part.lineParts.compactMap { line in
            let path = TileGeometry.withoutRepeats(line.positions.map { local($0, tile) })
            return path.count >= 2 ? path : nil
        }
    }

    /// Rings rounded to tile units; each polygon as [exterior, holes…]; collapsed rings gone.
    private func rounded(_ parts: [Polygon], tile: TileCoordinate, offset: Bool = true) -> [[[TilePoint]]] {
        parts.compactMap { polygon -> [[TilePoint]]? in
            var rings: [[TilePoint]] = []
            for (i, ring) in polygon.rings.enumerated() {
                var path = TileGeometry.withoutRepeats(ring.positions.map {
                    offset ? local($0, tile) : TilePoint(x: Int32($0.x.rounded()), y: Int32($0.y.rounded()))
                })
                if path.count > 1, path[0] == path[path.count - 1] { path.removeLast() }
                let collapsed = path.count < 3 || TileGeometry.signedArea2(path) == 0
                if collapsed {
                    if i == 0 { return nil }
                    continue
                }
                rings.append(path)
            }
            return rings
        }
    }

    /// Rings as a GEOS-ready multipolygon in tile units.
    static func geometry(_ polygons: [[[TilePoint]]]) throws -> Geometry {
        let parts = try polygons.map { rings in
            try Polygon(rings: rings.map { ring in
                (ring + [ring[0]]).map { Position(x: Double($0.x), y: Double($0.y)) }
            })
        }
        return .multiPolygon(MultiPolygon(parts))
    }

    /// Flattened MVT ring list: each exterior made positive, its holes negative.
    static func oriented(_ polygons: [[[TilePoint]]]) -> [[TilePoint]] {
        var out: [[TilePoint]] = []
        for rings in polygons {
            for (i, ring) in rings.enumerated() {
                let positive = signedArea2(ring) > 0
                out.append(positive == (i == 0) ? ring : ring.reversed())
            }
        }
        return out
    }

    private static func signedArea2(_ ring: [TilePoint]) -> Int64 { TileGeometry.signedArea2(ring) }
}
