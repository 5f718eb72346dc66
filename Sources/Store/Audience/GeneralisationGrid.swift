import Geometry

/// The fixed grid a generalised site is moved onto: cells of `cellSize` degrees of longitude
/// and latitude, aligned on `origin` ((0, 0) unless the store says otherwise).
///
/// ```swift
/// let grid = GeneralisationGrid(cellSize: 0.1)
/// grid.cellCentre(of: Position(x: 51.389, y: 35.689))   // (51.35, 35.65)
/// grid.publishedPosition(of: polygon)                   // the centre of the cell holding the
///                                                        // centre of the polygon's box
/// ```
/// Deterministic: the same site lands on the same cell centre in every output, so repeated
/// outputs cannot be averaged to recover it (a random offset could). Every output that
/// generalises (exports, tiles, query answers and their figures) goes through this type.
public struct GeneralisationGrid: Hashable, Sendable {
    /// Edge of a cell, in degrees.
    public var cellSize: Double
    /// A corner shared by cells: cell edges lie at `origin + k × cellSize` for every whole `k`.
    public var origin: Position

    /// The default grid: 0.1° cells from (0, 0).
    public init(cellSize: Double = 0.1, origin: Position = Position(x: 0, y: 0)) {
        self.cellSize = cellSize
        self.origin = origin
    }

    /// The column and row of the cell holding `p`, counted from `origin`; nil for a non-finite
    /// position or cell size, or a cell too far away to number.
    public func cell(of p: Position) -> (column: Int64, row: Int64)? {
        guard p.isFinite, origin.isFinite, cellSize.isFinite, cellSize > 0 else { return nil }
        let i = ((p.x - origin.x) / cellSize).rounded(.down), j = ((p.y - origin.y) / cellSize).rounded(.down)
        guard abs(i) < 9e15, abs(j) < 9e15 else { return nil }
        return (Int64(i), Int64(j))
    }

    /// The centre of the cell holding `p`; nil for a non-finite position or cell size. A
    /// centre beyond the antimeridian (the cell holding longitude 180, or one a grid's origin
    /// places across it) is given the other side's longitude, the same place on the Earth:
    /// outputs hold longitudes within −180…180.
    public func cellCentre(of p: Position) -> Position? {
        guard p.isFinite, origin.isFinite, cellSize.isFinite, cellSize > 0 else { return nil }
        let i = ((p.x - origin.x) / cellSize).rounded(.down), j = ((p.y - origin.y) / cellSize).rounded(.down)
        var x = origin.x + (i + 0.5) * cellSize
        let y = origin.y + (j + 0.5) * cellSize
        if x > 180 { x -= 360 } else if x < -180 { x += 360 }
        return Position(x: x, y: Swift.min(90, Swift.max(-90, y)))
    }

    /// Where a generalised site is shown: the centre of the cell holding the centre of the
    /// geometry's bounding box; nil for an empty geometry. A site whose box spans more than
    /// 180° of longitude is taken as drawn across the antimeridian: its box is measured with
    /// western longitudes moved east by 360° (when that box is the narrower), so it is shown
    /// where it lies, not near longitude 0.
    public func publishedPosition(of geometry: Geometry) -> Position? {
        guard let box = geometry.boundingBox else { return nil }
        guard box.width > 180 else { return cellCentre(of: box.center) }
        var east: BoundingBox?
        geometry.forEachPosition { p in
            let q = Position(x: p.x < 0 ? p.x + 360 : p.x, y: p.y)
            if east == nil { east = BoundingBox(minX: q.x, minY: q.y, maxX: q.x, maxY: q.y) } else { east?.extend(q) }
        }
        guard let east, east.width < box.width else { return cellCentre(of: box.center) }
        let centre = east.center
        return cellCentre(of: Position(x: centre.x > 180 ? centre.x - 360 : centre.x, y: centre.y))
    }
}
