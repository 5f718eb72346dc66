import Geometry

/// World coordinates (Web Mercator, 0…1) in fixed point, 2^36 steps a side: one step is a
/// tile unit at zoom 24 with extent 4096. Clusters are cut and summed in these integers, so
/// which cell a site falls in, and a cluster's centre, do not depend on the order sites are
/// added in: an export's tile and the server's tile of the same store are the same bytes.
enum FixedWorld {
    static let bits = 36
    static let size = Int64(1) << bits

    static func fixed(_ w: Double) -> Int64 {
        guard w.isFinite else { return 0 }
        return Swift.min(size - 1, Swift.max(0, Int64((w * Double(size)).rounded(.down))))
    }

    static func world(_ f: Double) -> Double { f / Double(size) }

    /// The shift that turns a fixed coordinate into a column of cells `cellUnits` tile units
    /// wide at `zoom`, for tiles of `extent` units (0 when the cell is finer than a step).
    static func shift(zoom: Int, extent: Int, cellUnits: Int) -> Int {
        let unitsLog = extent.trailingZeroBitCount - Swift.max(1, cellUnits).trailingZeroBitCount
        return Swift.max(0, bits - zoom - unitsLog)
    }
}

/// Whether the sites of a cluster agree on their condition: the condition every one has (nil
/// when none has one), or `mixed`.
public enum ConditionAgreement: Hashable, Sendable {
    case all(PropertyValue?)
    case mixed

    func merged(with other: ConditionAgreement) -> ConditionAgreement { self == other ? self : .mixed }
}

/// Sites drawn as points that fall in one clustering cell of one zoom: how many, the sum of
/// their fixed-point positions, their condition, and which site it is when there is one.
///
/// ```swift
/// var cell = ClusterCell(site: 17, at: (x: 0x4_0000_0000, y: 0x8_0000_0000), condition: .all("destroyed"))
/// cell.add(other)                         // sums and counts; the condition turns `mixed` if they differ
/// ```
/// `column` and `row` are the fixed coordinates shifted right by `shift`: 0 for one site's own
/// position, more for a cell of a summary. A cell's sums are integers, so merging cells in
/// any order gives the same centre.
public struct ClusterCell: Sendable, Hashable {
    var column: Int64
    var row: Int64
    var shift: Int
    public internal(set) var count: Int64
    var sumX: Int64
    var sumY: Int64
    public internal(set) var condition: ConditionAgreement
    /// The caller's reference to the site (an index, a store `fid`) while `count` is 1 (-1
    /// for generalised sites, which are never drawn one by one).
    public internal(set) var site: Int64
    /// 0 for sites drawn as points; for generalised sites, the size in degrees of the
    /// generalisation cell they share, which tiles draw as its square (`GeneralisedCell.swift`).
    public internal(set) var cellSizeDegrees: Double = 0

    /// Whether the cell holds generalised sites, drawn as their generalisation cell's square.
    public var isGeneralised: Bool { cellSizeDegrees > 0 }

    /// The property of a generalised cell's feature that says how many sites it holds.
    public static let countKey = "count"

    init(site: Int64, at fixed: (x: Int64, y: Int64), condition: ConditionAgreement) {
        column = fixed.x
        row = fixed.y
        shift = 0
        count = 1
        sumX = fixed.x
        sumY = fixed.y
        self.condition = condition
        self.site = site
    }

    /// The same sites as a cell `shift` bits coarser than single positions.
    func coarsened(to shift: Int) -> ClusterCell {
        var c = self
        c.column = sumColumn(self.column, from: self.shift, to: shift)
        c.row = sumColumn(self.row, from: self.shift, to: shift)
        c.shift = shift
        return c
    }

    private func sumColumn(_ v: Int64, from: Int, to: Int) -> Int64 { to > from ? v >> Int64(to - from) : v }

    /// Adds another cell's sites (sums wrap past 2^27 sites in one cell, far beyond a store).
    mutating func add(_ other: ClusterCell) {
        count &+= other.count
        sumX &+= other.sumX
        sumY &+= other.sumY
        condition = condition.merged(with: other.condition)
        if count > 1 || isGeneralised { site = -1 }
    }

    /// The centre of its sites in world units.
    var centre: Position {
        let n = Double(count)
        return Position(x: FixedWorld.world(Double(sumX) / n), y: FixedWorld.world(Double(sumY) / n))
    }
}
