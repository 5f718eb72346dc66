import Geometry

/// The clusters of the low zooms, summed once: for each zoom below `topZoom`, the cells of
/// `clusterCell` tile units that hold sites drawn as points, and the sites drawn as shapes at
/// some of those zooms. The server cuts a low-zoom tile from it (`TileOnDemand`) instead of
/// reading every site the tile covers, which at zoom 0 is every site.
///
/// ```swift
/// var summary = ClusterSummary(options: TileOptions(minZoom: 0, maxZoom: 14), topZoom: 10)
/// for (fid, feature) in published { summary.add(feature, site: fid) }   // in the export's order
/// summary.finish()
/// summary.cells(in: TileCoordinate(z: 3, x: 5, y: 3))     // the cells to cluster there
/// summary.shapes(in: TileCoordinate(z: 3, x: 5, y: 3))    // fids of the shapes to draw there
/// ```
/// Generalised sites are not clustered: they are summed by their generalisation cell, and
/// `cells(in:)` gives every such cell whose square reaches the tile, for `TileOnDemand` to draw
/// as that square (`GeneralisedCell.swift`).
///
/// Memory: one cell (about 70 bytes) per occupied cell of the finest summarised zoom and of
/// each coarser one, one per occupied generalisation cell, plus one entry per site drawn as a
/// shape below `topZoom` (areas larger than a tile unit there, lines). It grows with how many cells the sites occupy, not with
/// how many sites share a cell: a cemetery of thousands of graves is one cell at zoom 9.
public struct ClusterSummary: Sendable {
    public let options: TileOptions
    /// Zooms `options.minZoom ..< topZoom` are summarised.
    public let topZoom: Int
    private var building: [[CellKey: ClusterCell]]
    /// Per summarised zoom, its cells sorted by tile, then by cell.
    private var levels: [[ClusterCell]] = []
    /// Sites drawn as a shape from zoom `from` on (below it, as a point), in the order added.
    private var shapeSites: [(site: Int64, box: BoundingBox, from: Int)] = []
    /// Generalised sites, summed by the generalisation cell drawn for them at every zoom.
    private var generalisedBuilding = GeneralisedCells()
    private var generalisedCells: [ClusterCell] = []
    public private(set) var siteCount = 0

    /// - Precondition-free: `topZoom` is clamped to `minZoom…maxZoom`; clustering must be on
    ///   (`clusterCell > 0`) for cells to be summed, else every site is a cell of its own.
    public init(options: TileOptions, topZoom: Int) {
        self.options = options
        self.topZoom = max(options.minZoom, min(options.maxZoom, topZoom))
        building = Array(repeating: [:], count: max(0, self.topZoom - options.minZoom))
    }

    private func shift(_ zoom: Int) -> Int {
        FixedWorld.shift(zoom: zoom, extent: options.extent, cellUnits: max(1, options.clusterCell))
    }

    /// Adds a site as the audience sees it; `site` is the reference a one-site cell and
    /// `shapes(in:)` give back (a store `fid`).
    public mutating func add(_ feature: ExportFeature, site: Int64) {
        guard topZoom > options.minZoom else { return }
        siteCount += 1
        if let square = ClusterCell.generalised(feature) {
            generalisedBuilding.add(square)
            return
        }
        // Each part of a site drawn across the antimeridian is a shape from its own zoom on; the
        // site is a point (below that zoom) as its first part.
        let parts = PreparedSite.parts(of: feature)
        var from = topZoom
        for (j, part) in parts.enumerated() {
            // The first summarised zoom at which the part is a shape (shapes stay shapes deeper in).
            var partFrom = topZoom
            for z in options.minZoom..<topZoom {
                let probe = ZoomLevel(zoom: z, options: options, sites: [], context: nil)
                if case .shape = probe.placement(of: part) { partFrom = z; break }
            }
            if partFrom < topZoom { shapeSites.append((site, part.box, partFrom)) }
            if j == 0 { from = partFrom }
        }
        let prepared = parts[0]
        // As a point, the site counts in the finest zoom below `from`; finish() sums it into
        // the coarser ones.
        guard from > options.minZoom else { return }
        let zoom = from - 1
        let w = prepared.point ?? prepared.box.center
        let cell = ClusterCell(site: site, at: (FixedWorld.fixed(w.x), FixedWorld.fixed(w.y)),
                               condition: .all(feature.value(for: "condition"))).coarsened(to: shift(zoom))
        merge(cell, into: zoom - options.minZoom)
    }

    private mutating func merge(_ cell: ClusterCell, into level: Int) {
        let key = CellKey(column: cell.column, row: cell.row)
        if var kept = building[level][key] {
            kept.add(cell)
            building[level][key] = kept
        } else {
            building[level][key] = cell
        }
    }

    private struct CellKey: Hashable, Sendable {
        var column: Int64
        var row: Int64
    }

    /// Sums each zoom's cells into the zoom above it and sorts them; call once, after the last `add`.
    /// Finest zoom first: each zoom's cells are summed up, sorted into `levels`, and its
    /// dictionary dropped before the next zoom is sorted, so that at most two dictionaries and
    /// one zoom's sorted copy are held at once, not all of them (a server building the summary
    /// of a million clustered sites peaked at 167 MiB, now 143 MiB).
    public mutating func finish() {
        generalisedCells = generalisedBuilding.sorted
        guard !building.isEmpty else { return }
        levels = Array(repeating: [], count: building.count)
        for level in stride(from: building.count - 1, through: 0, by: -1) {
            if level > 0 {
                let coarser = shift(options.minZoom + level - 1)
                for cell in building[level].values { merge(cell.coarsened(to: coarser), into: level - 1) }
            }
            let zoom = options.minZoom + level
            let toTile = Int64(FixedWorld.bits - zoom - shift(zoom))
            var cells = Array(building[level].values)
            building[level] = [:]
            cells.sort {
                let a = ($0.column >> toTile, $0.row >> toTile), b = ($1.column >> toTile, $1.row >> toTile)
                return a != b ? a < b : ($0.column, $0.row) < ($1.column, $1.row)
            }
            levels[level] = cells
        }
        building = []
    }

    /// The cells of a summarised zoom's tile (empty for any other zoom): its clusters, then the
    /// generalised cells whose square reaches it.
    ///
    /// - Complexity: O(log n + k) for k cells in the tile, plus O(g) for g generalised cells.
    public func cells(in tile: TileCoordinate) -> [ClusterCell] {
        let level = tile.z - options.minZoom
        guard tile.z < topZoom, level >= 0, level < levels.count else { return [] }
        let cells = levels[level]
        let toTile = Int64(FixedWorld.bits - tile.z - shift(tile.z))
        let target = (Int64(tile.x), Int64(tile.y))
        var low = 0, high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if (cells[mid].column >> toTile, cells[mid].row >> toTile) < target { low = mid + 1 } else { high = mid }
        }
        var out: [ClusterCell] = []
        var i = low
        while i < cells.count, (cells[i].column >> toTile, cells[i].row >> toTile) == target {
            out.append(cells[i])
            i += 1
        }
        // Generalised cells whose square reaches the tile (with its buffer), whatever tile their centre is in.
        let probe = ZoomLevel(zoom: tile.z, options: options, sites: [], context: nil)
        out += generalisedCells.filter { probe.touches(square: $0, tile) }
        return out
    }

    /// The references of the sites drawn as shapes in a summarised zoom's tile (with its
    /// buffer), in the order they were added.
    ///
    /// - Complexity: O(s) for s sites drawn as shapes below `topZoom`.
    public func shapes(in tile: TileCoordinate) -> [Int64] {
        guard tile.z < topZoom, tile.z >= options.minZoom else { return [] }
        let probe = ZoomLevel(zoom: tile.z, options: options, sites: [], context: nil)
        let s = probe.scale
        var seen = Set<Int64>()   // the two parts of a site across the antimeridian, once
        return shapeSites.compactMap { entry in
            guard entry.from <= tile.z else { return nil }
            let b = BoundingBox(minX: entry.box.minX * s, minY: entry.box.minY * s, maxX: entry.box.maxX * s, maxY: entry.box.maxY * s)
            return probe.touches(b, tile) && seen.insert(entry.site).inserted ? entry.site : nil
        }
    }
}
