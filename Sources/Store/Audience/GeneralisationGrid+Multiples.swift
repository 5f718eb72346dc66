import Geometry

/// Which grids an output may use given the store's own: only the store's grid or a coarser
/// one whose cells are whole blocks of the store's cells.
///
/// ```swift
/// let store = GeneralisationGrid(cellSize: 0.1)
/// store.coarsened(to: 0.3)    // 0.3° cells from the same origin: each one 3 × 3 store cells
/// store.coarsened(to: 0.07)   // nil: finer than the store's cells
/// store.coarsened(to: 0.25)   // nil: not a whole multiple, so its edges cut store cells
/// ```
/// Why whole multiples: two outputs on grids whose edges cross (0.1° and 0.07°) can be joined
/// on their stable ids, and each site is then known to lie in the intersection of its two
/// cells, a fraction of either. A coarser grid made of whole store cells adds nothing to what
/// the store's grid already tells.
extension GeneralisationGrid {
    /// The finest cell a store may keep: about 110 m of latitude. Finer cells protect nothing a
    /// person on the ground could not find by walking the cell.
    public static let finestCellSize = 0.001

    /// How far a ratio may lie from a whole number and still count as one (floating-point
    /// division of decimal sizes: 0.3 / 0.1 = 2.9999999999999996).
    static let wholeTolerance = 1e-9

    /// `k` when `size` is `k` whole cells of this grid (k ≥ 1); nil otherwise.
    public func multiple(_ size: Double) -> Int? {
        guard size.isFinite, cellSize.isFinite, cellSize > 0, size > 0 else { return nil }
        let ratio = size / cellSize
        let k = ratio.rounded()
        guard k >= 1, k < 1e9, abs(ratio - k) <= Self.wholeTolerance * k else { return nil }
        return Int(k)
    }

    /// The grid of `size`-degree cells on this grid's origin when `size` is a whole multiple of
    /// this grid's cell; nil when it is finer or not a multiple.
    public func coarsened(to size: Double) -> GeneralisationGrid? {
        guard let k = multiple(size) else { return nil }
        // The store's own cell, exactly, when k is 1, so that equal requests give equal grids.
        return GeneralisationGrid(cellSize: k == 1 ? cellSize : size, origin: origin)
    }

    /// Whether every cell edge of `other` is an edge of this grid: its cell is a whole multiple
    /// of this one and its origin lies on this grid's edges.
    public func contains(_ other: GeneralisationGrid) -> Bool {
        guard multiple(other.cellSize) != nil else { return false }
        return isEdge(other.origin.x - origin.x) && isEdge(other.origin.y - origin.y)
    }

    /// Whether an offset from the origin is a whole number of cells (zero included).
    private func isEdge(_ offset: Double) -> Bool {
        guard offset.isFinite else { return false }
        let ratio = offset / cellSize, k = ratio.rounded()
        return abs(ratio - k) <= Self.wholeTolerance * Swift.max(1, abs(k))
    }

    /// Whether the grid can be a store's: a finite cell from `finestCellSize` to 90°, and an
    /// origin within longitude −180…180 and latitude −90…90.
    public var isValidForStore: Bool {
        cellSize.isFinite && cellSize >= Self.finestCellSize && cellSize <= 90 && origin.isFinite
            && (-180...180).contains(origin.x) && (-90...90).contains(origin.y)
    }

    /// The grid as one line: `0.1° cells from 0,0`.
    public var summary: String {
        "\(Self.decimal(cellSize))° cells from \(Self.decimal(origin.x)),\(Self.decimal(origin.y))"
    }

    /// A degree value as a user types it: `0.1`, `0`, `-3.7`.
    static func decimal(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
