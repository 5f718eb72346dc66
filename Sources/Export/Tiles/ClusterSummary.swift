import Geometry

/// The clusters of the low zooms, summed once: for each zoom below `topZoom`, the cells of
/// `clusterCell` tile units that hold sites drawn as points, and the sites drawn as shapes at
/// some of those zooms. The server cuts a low-zoom tile from it (`TileOnDemand`) instead of
/// reading every site the tile covers, which at zoom 0 is every site.
///
/// ```swift
/// var builder = ClusterSummary.Builder(options: TileOptions(minZoom: 0, maxZoom: 14), topZoom: 10)
/// for (fid, feature) in published { try builder.add(feature, site: fid) }   // in the export's order
/// let summary = try builder.finish()
/// try summary.cells(in: TileCoordinate(z: 3, x: 5, y: 3))     // the cells to cluster there
/// summary.shapes(in: TileCoordinate(z: 3, x: 5, y: 3))        // fids of the shapes to draw there
/// ```
/// Generalised sites are not clustered: they are summed by their generalisation cell, and
/// `cells(in:)` gives every such cell whose square reaches the tile, for `TileOnDemand` to draw
/// as that square (`GeneralisedCell.swift`).
///
/// Memory: the cells of each zoom are sorted on disk (`ExternalSort`) and kept in a temporary
/// file each (`RecordFile`, 64 bytes a cell), so that the summary of a large store holds in
/// memory only one sort chunk per zoom while it is built, and nothing per cell once built.
/// What stays in memory: one entry per occupied generalisation cell, and one per site drawn as
/// a shape below `topZoom` (areas larger than a tile unit there, lines).
public struct ClusterSummary: Sendable {
    public let options: TileOptions
    /// Zooms `options.minZoom ..< topZoom` are summarised.
    public let topZoom: Int
    /// Per summarised zoom, its cells sorted by tile, then by cell.
    private let levels: [RecordFile<StoredCell>]
    /// The conditions the cells name, by their code in `StoredCell`.
    private let conditions: [ConditionAgreement]
    /// Sites drawn as a shape from zoom `from` on (below it, as a point), in the order added.
    private let shapeSites: [(site: Int64, box: BoundingBox, from: Int)]
    /// Generalised sites, summed by the generalisation cell drawn for them at every zoom.
    private let generalisedCells: [ClusterCell]
    public let siteCount: Int

    /// A cell as its zoom's file holds it: a `ClusterCell` with its condition as a code.
    struct StoredCell: BitwiseCopyable {
        var column: Int64
        var row: Int64
        var count: Int64
        var sumX: Int64
        var sumY: Int64
        var site: Int64
        var shift: Int32
        var condition: Int32
    }

    /// Takes the sites, then sorts and sums their cells (`finish`). One owner, one thread.
    public struct Builder {
        public let options: TileOptions
        public let topZoom: Int
        /// Per summarised zoom, the cells of the sites whose finest point zoom it is.
        private var sorts: [ExternalSort<StoredCell>]
        private var conditions: [ConditionAgreement] = []
        private var conditionCodes: [ConditionAgreement: Int32] = [:]
        private var shapeSites: [(site: Int64, box: BoundingBox, from: Int)] = []
        private var generalised = GeneralisedCells()
        private var siteCount = 0

        /// - Precondition-free: `topZoom` is clamped to `minZoom…maxZoom`; clustering must be on
        ///   (`clusterCell > 0`) for cells to be summed, else every site is a cell of its own.
        ///   `chunkSize` is how many cells of a zoom are sorted in memory at once.
        public init(options: TileOptions, topZoom: Int, chunkSize: Int = 1 << 13) {
            self.options = options
            self.topZoom = max(options.minZoom, min(options.maxZoom, topZoom))
            sorts = []
            for level in 0 ..< max(0, self.topZoom - options.minZoom) {
                let toTile = Int64(FixedWorld.bits - (options.minZoom + level) - Self.shift(options.minZoom + level, options))
                sorts.append(ExternalSort(chunkSize: chunkSize, by: { a, b in
                    let ta = (a.column >> toTile, a.row >> toTile), tb = (b.column >> toTile, b.row >> toTile)
                    return ta != tb ? ta < tb : (a.column, a.row) < (b.column, b.row)
                }, combine: { kept, next in
                    guard kept.column == next.column, kept.row == next.row else { return false }
                    kept.count &+= next.count
                    kept.sumX &+= next.sumX
                    kept.sumY &+= next.sumY
                    if kept.condition != next.condition { kept.condition = -1 }
                    if kept.count > 1 { kept.site = -1 }
                    return true
                }))
            }
        }

        fileprivate static func shift(_ zoom: Int, _ options: TileOptions) -> Int {
            FixedWorld.shift(zoom: zoom, extent: options.extent, cellUnits: max(1, options.clusterCell))
        }

        /// Adds a site as the audience sees it; `site` is the reference a one-site cell and
        /// `shapes(in:)` give back (a store `fid`).
        /// - Throws: `ExportError.io` when the temporary files cannot be written.
        public mutating func add(_ feature: ExportFeature, site: Int64) throws {
            guard topZoom > options.minZoom else { return }
            siteCount += 1
            if let square = ClusterCell.generalised(feature) {
                generalised.add(square)
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
                                   condition: .all(feature.value(for: "condition"))).coarsened(to: Self.shift(zoom, options))
            try sorts[zoom - options.minZoom].append(stored(cell))
        }

        private mutating func stored(_ cell: ClusterCell) -> StoredCell {
            let code: Int32
            if cell.condition == .mixed {
                code = -1
            } else if let known = conditionCodes[cell.condition] {
                code = known
            } else {
                code = Int32(conditions.count)
                conditionCodes[cell.condition] = code
                conditions.append(cell.condition)
            }
            return StoredCell(column: cell.column, row: cell.row, count: cell.count, sumX: cell.sumX, sumY: cell.sumY,
                              site: cell.site, shift: Int32(cell.shift), condition: code)
        }

        /// Sums each zoom's cells into the zoom above it, finest first: a zoom's sorted cells are
        /// read once, into its file and, coarsened, into the next zoom's sort.
        /// - Throws: `ExportError.io` when the temporary files cannot be written or read.
        public mutating func finish() throws -> ClusterSummary {
            var levels = [RecordFile<StoredCell>?](repeating: nil, count: sorts.count)
            for level in stride(from: sorts.count - 1, through: 0, by: -1) {
                let file = try sorts[level].finish()
                levels[level] = file
                guard level > 0 else { continue }
                let coarser = Int32(Self.shift(options.minZoom + level - 1, options))
                try file.forEach { cell in
                    var c = cell
                    if coarser > c.shift {
                        c.column >>= Int64(coarser - c.shift)
                        c.row >>= Int64(coarser - c.shift)
                        c.shift = coarser
                    }
                    try sorts[level - 1].append(c)
                    return true
                }
            }
            sorts = []
            return ClusterSummary(options: options, topZoom: topZoom, levels: levels.compactMap { $0 }, conditions: conditions,
                                  shapeSites: shapeSites, generalisedCells: generalised.sorted, siteCount: siteCount)
        }
    }

    private init(options: TileOptions, topZoom: Int, levels: [RecordFile<StoredCell>], conditions: [ConditionAgreement],
                 shapeSites: [(site: Int64, box: BoundingBox, from: Int)], generalisedCells: [ClusterCell], siteCount: Int) {
        self.options = options
        self.topZoom = topZoom
        self.levels = levels
        self.conditions = conditions
        self.shapeSites = shapeSites
        self.generalisedCells = generalisedCells
        self.siteCount = siteCount
    }

    private func shift(_ zoom: Int) -> Int { Builder.shift(zoom, options) }

    private func cell(_ stored: StoredCell) -> ClusterCell {
        var c = ClusterCell(site: stored.site, at: (stored.column, stored.row),
                            condition: stored.condition >= 0 && Int(stored.condition) < conditions.count ? conditions[Int(stored.condition)] : .mixed)
        c.shift = Int(stored.shift)
        c.count = stored.count
        c.sumX = stored.sumX
        c.sumY = stored.sumY
        return c
    }

    /// The cells of a summarised zoom's tile (empty for any other zoom): its clusters, then the
    /// generalised cells whose square reaches it.
    ///
    /// - Complexity: O(log n) reads of one cell and O(k) for k cells in the tile, plus O(g) for g
    ///   generalised cells.
    public func cells(in tile: TileCoordinate) throws -> [ClusterCell] {
        let level = tile.z - options.minZoom
        guard tile.z < topZoom, level >= 0, level < levels.count else { return [] }
        let cells = levels[level]
        let toTile = Int64(FixedWorld.bits - tile.z - shift(tile.z))
        let target = (Int64(tile.x), Int64(tile.y))
        let low = try cells.partitionPoint { ($0.column >> toTile, $0.row >> toTile) < target }
        var out: [ClusterCell] = []
        try cells.forEach(from: low) { stored in
            guard (stored.column >> toTile, stored.row >> toTile) == target else { return false }
            out.append(cell(stored))
            return true
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
