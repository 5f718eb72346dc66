import Geometry

/// One zoom of a tiling run: places every feature in the tiles it touches, then builds the
/// tiles in Hilbert order. The tile itself is built by `ZoomLevel.build`, which the server's
/// tiles on demand call too (`TileOnDemand`), so both cut the same bytes.
struct ZoomLevel {
    let zoom: Int
    let options: TileOptions
    let sites: [PreparedSite]
    /// Needed to build tiles; nil where only placements are asked for.
    let context: GEOSContext?
    /// Zoom pixel units per world unit.
    let scale: Double
    let isMaxZoom: Bool
    private var scaledShapes: [Int: Geometry] = [:]

    init(zoom: Int, options: TileOptions, sites: [PreparedSite], context: GEOSContext?) {
        self.zoom = zoom
        self.options = options
        self.sites = sites
        self.context = context
        self.scale = Double(options.extent) * Double(1 << zoom)
        self.isMaxZoom = zoom == options.maxZoom
    }

    /// Where a site is drawn at this zoom, in zoom pixel units.
    enum Placement {
        case point(Position)
        case shape(BoundingBox)
    }

    func placement(of site: PreparedSite) -> Placement {
        placement(point: site.point, box: site.box, isAreal: site.isAreal)
    }

    /// Where a site with this world point (nil for a shape), world box and arealness is drawn.
    func placement(point: Position?, box: BoundingBox, isAreal: Bool) -> Placement {
        if let p = point { return .point(Position(x: p.x * scale, y: p.y * scale)) }
        let b = BoundingBox(
            minX: box.minX * scale, minY: box.minY * scale,
            maxX: box.maxX * scale, maxY: box.maxY * scale)
        // An area smaller than a tile unit would vanish when rounded: it is drawn as a point.
        if isAreal, b.width < 1, b.height < 1 { return .point(b.center) }
        return .shape(b)
    }

    /// The fixed-point world position of a site drawn as a point at this zoom (its point, or
    /// its box's centre); nil for a site drawn as a shape.
    func fixedPoint(of site: PreparedSite) -> (x: Int64, y: Int64)? {
        guard case .point = placement(of: site) else { return nil }
        return Self.fixed(point: site.point, box: site.box)
    }

    /// The fixed-point world position a site is clustered at: its point, or its box's centre.
    static func fixed(point: Position?, box: BoundingBox) -> (x: Int64, y: Int64) {
        let w = point ?? box.center
        return (FixedWorld.fixed(w.x), FixedWorld.fixed(w.y))
    }

    /// The tile a point with this fixed position belongs to below the maximum zoom (no buffer:
    /// clusters are drawn once, in their own tile).
    func tile(ofFixed p: (x: Int64, y: Int64)) -> TileCoordinate {
        let s = Int64(FixedWorld.bits - zoom)
        return TileCoordinate(z: zoom, x: Int(p.x >> s), y: Int(p.y >> s))
    }

    /// The tiles a range of zoom pixels touches, clamped to the world.
    func tileRange(_ lo: Double, _ hi: Double) -> ClosedRange<Int> {
        let n = 1 << zoom, e = Double(options.extent)
        let a = max(0, min(n - 1, Int((lo / e).rounded(.down))))
        let z = max(0, min(n - 1, Int((hi / e).rounded(.down))))
        return a...z
    }

    /// Whether a site drawn as a shape at this zoom touches `tile` with its buffer.
    func touches(_ box: BoundingBox, _ tile: TileCoordinate) -> Bool {
        let b = Double(options.buffer)
        return tileRange(box.minX - b, box.maxX + b).contains(tile.x) && tileRange(box.minY - b, box.maxY + b).contains(tile.y)
    }

    /// What one tile is made of: shapes (indexes into `sites`, drawn in this order) and points
    /// (below the maximum zoom, cells to cluster; at it, single sites, in this order).
    struct Content {
        var shapes: [Int] = []
        var points: [ClusterCell] = []
        /// Generalised sites, by the generalisation cell whose square is drawn (any order).
        var squares: [ClusterCell] = []
    }

    /// Cuts this zoom's tiles from a spool's sites into `sink`, in Hilbert order: every site
    /// is placed in the tiles it touches from its compact record; each tile then reads only
    /// the features it draws on their own (its shapes, and the points alone in their
    /// clustering cell) from the spool and is built by `build`.
    ///
    /// Below the maximum zoom, with clustering on, a tile's points are summed into cells of
    /// `clusterCell` units as they are gathered (`ClusterCell` sums are integers and their
    /// order does not matter, so the tile is the same bytes as from single points); memory is
    /// one zoom's placements (16 bytes each) plus one tile's cells and features.
    ///
    /// - Complexity: O(p log p) for p placements, plus one read of each feature per tile that
    ///   draws it on its own.
    static func cut(
        zoom: Int, options: TileOptions, spool: SiteSpool, context: GEOSContext,
        into sink: some TileSink, summary: inout TileSummary,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) throws {
        let probe = ZoomLevel(zoom: zoom, options: options, sites: [], context: context)
        let b = Double(options.buffer)
        let records = spool.records
        // (tile, index, drawn as a point): sorted, the tiles come in Hilbert order and each
        // tile's sites in feature order.
        var placements: [Placed] = []
        placements.reserveCapacity(records.count)
        for (i, r) in records.enumerated() {
            switch probe.placement(point: r.point, box: r.box, isAreal: r.isAreal) {
            case let .point(q):
                // A site across the antimeridian is a point once, as its first part.
                if r.continuation { continue }
                if probe.isMaxZoom {
                    for x in probe.tileRange(q.x - b, q.x + b) {
                        for y in probe.tileRange(q.y - b, q.y + b) {
                            placements.append(Placed(key: TileCoordinate(z: zoom, x: x, y: y).hilbertID, index: Int32(i), point: true))
                        }
                    }
                } else {
                    let f = fixed(point: r.point, box: r.box)
                    placements.append(Placed(key: probe.tile(ofFixed: f).hilbertID, index: Int32(i), point: true))
                }
            case let .shape(box):
                for x in probe.tileRange(box.minX - b, box.maxX + b) {
                    for y in probe.tileRange(box.minY - b, box.maxY + b) {
                        placements.append(Placed(key: TileCoordinate(z: zoom, x: x, y: y).hilbertID, index: Int32(i), point: false))
                    }
                }
            }
        }
        // Generalised sites: each occupied cell in every tile its square touches (with the buffer).
        let squares = spool.generalisedCells
        for (j, cell) in squares.enumerated() {
            let box = probe.scaled(cell.squareWorldBox)
            for x in probe.tileRange(box.minX - b, box.maxX + b) {
                for y in probe.tileRange(box.minY - b, box.maxY + b) {
                    placements.append(Placed(key: TileCoordinate(z: zoom, x: x, y: y).hilbertID, index: Int32(j), point: false,
                                             square: true))
                }
            }
        }
        placements.sort { $0.key != $1.key ? $0.key < $1.key : $0.square != $1.square ? !$0.square : $0.index < $1.index }
        let summed = !probe.isMaxZoom && options.clusterCell > 0
        let cellShift = FixedWorld.shift(zoom: zoom, extent: options.extent, cellUnits: options.clusterCell)
        var start = 0
        while start < placements.count {
            var end = start
            while end < placements.count, placements[end].key == placements[start].key { end += 1 }
            let tile = TileCoordinate(hilbertID: placements[start].key)
            var shapes: [Int] = []
            var points: [ClusterCell] = []
            var cells: [CellKey: ClusterCell] = [:]
            var tileSquares: [ClusterCell] = []
            for p in placements[start..<end] {
                let i = Int(p.index)
                if p.square {
                    tileSquares.append(squares[i])
                    continue
                }
                guard p.point else {
                    shapes.append(i)
                    continue
                }
                let r = records[i]
                let cell = ClusterCell(site: Int64(i), at: fixed(point: r.point, box: r.box),
                                       condition: .all(spool.condition(of: i)))
                if summed {
                    let coarse = cell.coarsened(to: cellShift)
                    let key = CellKey(column: coarse.column, row: coarse.row)
                    if var kept = cells[key] {
                        kept.add(coarse)
                        cells[key] = kept
                    } else {
                        cells[key] = coarse
                    }
                } else {
                    points.append(cell)
                }
            }
            if summed { points = Array(cells.values) }
            // The features drawn on their own, read once, in feature order; references become
            // indexes into them.
            var alone = shapes
            for c in points where c.count == 1 { alone.append(Int(c.site)) }
            alone.sort()
            var local: [PreparedSite] = []
            local.reserveCapacity(alone.count)
            var localIndex: [Int: Int] = [:]
            for i in alone where localIndex[i] == nil {
                localIndex[i] = local.count
                var prepared = PreparedSite(try spool.feature(i))
                prepared.continuation = records[i].continuation
                local.append(prepared)
            }
            var content = Content()
            content.squares = tileSquares
            content.shapes = shapes.compactMap { localIndex[$0] }
            content.points = points.map { c in
                guard c.count == 1, let l = localIndex[Int(c.site)] else { return c }
                var moved = c
                moved.site = Int64(l)
                return moved
            }
            var level = ZoomLevel(zoom: zoom, options: options, sites: local, context: context)
            if let bytes = try level.build(tile, content, summary: &summary, attributes: attributes) {
                try sink.write(tile, mvt: bytes)
                summary.tilesPerZoom[zoom, default: 0] += 1
                if bytes.count > summary.largestTileBytes {
                    summary.largestTileBytes = bytes.count
                    summary.largestTile = tile
                }
            }
            start = end
        }
    }

    /// A site placed in a tile of the zoom being cut.
    private struct Placed {
        var key: UInt64
        var index: Int32
        var point: Bool
        /// `index` is into the spool's generalised cells.
        var square = false
    }

    private struct CellKey: Hashable {
        var column: Int64
        var row: Int64
    }

    /// The encoded tile, or nil when nothing is drawn in it. A point cell whose `count` is 1
    /// names its site by index into `sites`.
    mutating func build(
        _ tile: TileCoordinate, _ content: Content, summary: inout TileSummary,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) throws -> [UInt8]? {
        guard let context else { throw ExportError.invalidOption("tiles are built with a GEOS context") }
        let shaper = TileShaper(context: context, extent: options.extent, buffer: options.buffer)
        var shapes = VectorTileLayer(name: options.layerName, extent: options.extent)
        var points = content.points
        for i in content.shapes {
            let site = sites[i]
            guard case let .shape(box) = placement(of: site), let g = try scaledShape(i) else { continue }
            if let geometry = try shape(g, box: box, tile: tile, shaper: shaper) {
                shapes.add(id: site.feature.tileID, geometry: geometry, properties: attributes(site.feature.properties))
            } else if site.isAreal, !site.continuation, homePoint(box, tile: tile, shaper: shaper) != nil {
                // The area collapsed in this tile although its centre lies here: keep it visible.
                let c = Position(x: box.center.x / scale, y: box.center.y / scale)
                points.append(ClusterCell(site: Int64(i), at: (FixedWorld.fixed(c.x), FixedWorld.fixed(c.y)),
                                          condition: .all(site.feature.value(for: "condition"))))
            }
        }
        addSquares(content.squares, tile: tile, into: &shapes)
        var cell = isMaxZoom ? 0 : options.clusterCell
        while true {
            var layer = shapes
            addPoints(points, cell: cell, tile: tile, shaper: shaper, into: &layer, attributes: attributes)
            guard !layer.isEmpty else { return nil }
            let bytes = VectorTile.encode([layer])
            if bytes.count > options.maxTileBytes {
                if !isMaxZoom, cell < options.extent {
                    cell = max(cell * 2, 16)
                    continue
                }
                summary.oversizedTiles += 1
            }
            summary.featuresPerZoom[zoom, default: 0] += layer.featureCount
            return bytes
        }
    }

    private func homePoint(_ box: BoundingBox, tile: TileCoordinate, shaper: TileShaper) -> TilePoint? {
        let p = shaper.local(box.center, tile)
        let e = Int32(options.extent)
        return p.x >= 0 && p.x < e && p.y >= 0 && p.y < e ? p : nil
    }

    private func shape(_ g: Geometry, box: BoundingBox, tile: TileCoordinate, shaper: TileShaper) throws -> TileGeometry? {
        let polygons = try shaper.polygons(g, box: box, tile: tile)
        if !polygons.isEmpty { return .polygons(polygons) }
        let lines = try shaper.lines(g, box: box, tile: tile)
        if !lines.isEmpty { return .lines(lines) }
        let clip = shaper.clipBox(tile)
        let pts = g.pointParts.filter { clip.contains($0) }.map { shaper.local($0, tile) }
        return pts.isEmpty ? nil : .points(pts)
    }

    /// The site's geometry in zoom pixel units, simplified below the maximum zoom; cached.
    private mutating func scaledShape(_ i: Int) throws -> Geometry? {
        if let g = scaledShapes[i] { return g }
        guard let world = sites[i].shape else { return nil }
        let s = scale
        var g = try world.mappingPositions { Position(x: $0.x * s, y: $0.y * s) }
        if !isMaxZoom, options.simplification > 0, let context {
            g = try context.simplify(g, tolerance: options.simplification)
        }
        scaledShapes[i] = g
        return g
    }

    /// Where a one-site cell is drawn: its site's own placement (a point, or the centre of an
    /// area drawn as one).
    private func drawn(_ cell: ClusterCell, tile: TileCoordinate, shaper: TileShaper) -> TilePoint? {
        guard cell.site >= 0, cell.site < sites.count else { return nil }
        switch placement(of: sites[Int(cell.site)]) {
        case let .point(q): return shaper.local(q, tile)
        case let .shape(box): return shaper.local(box.center, tile)
        }
    }

    /// Adds the points, clustered on cells of `cell` tile units when `cell > 0` (a cluster of
    /// one is its site), else each site on its own.
    private func addPoints(
        _ points: [ClusterCell], cell: Int, tile: TileCoordinate, shaper: TileShaper, into layer: inout VectorTileLayer,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) {
        func addSite(_ c: ClusterCell) {
            guard let p = drawn(c, tile: tile, shaper: shaper) else { return }
            let f = sites[Int(c.site)].feature
            layer.add(id: f.tileID, geometry: .points([p]), properties: attributes(f.properties))
        }
        guard cell > 0 else {
            for c in points where c.count == 1 { addSite(c) }
            return
        }
        let shift = FixedWorld.shift(zoom: zoom, extent: options.extent, cellUnits: cell)
        let perTile = Int64(options.extent / cell)
        var groups: [Int64: ClusterCell] = [:]
        for c in points {
            let coarse = c.coarsened(to: max(shift, c.shift))
            let key = (coarse.column - Int64(tile.x) * perTile) << 32 | Int64(UInt32(truncatingIfNeeded: coarse.row - Int64(tile.y) * perTile))
            if var g = groups[key] {
                g.add(coarse)
                groups[key] = g
            } else {
                groups[key] = coarse
            }
        }
        for key in groups.keys.sorted() {
            guard let group = groups[key] else { continue }
            if group.count == 1 {
                addSite(group)
                continue
            }
            let w = group.centre
            let c = shaper.local(Position(x: w.x * scale, y: w.y * scale), tile)
            var props: [ExportFeature.Property] = [.init("cluster", true), .init("point_count", .int(group.count))]
            if case let .all(condition) = group.condition, let condition {
                props.append(.init("condition", condition))
            }
            layer.add(id: clusterID(key: key, cell: cell, tile: tile), geometry: .points([c]), properties: props)
        }
    }

    /// A cluster's id: above 2^53 never, distinct from site ids only by chance, stable per cell.
    private func clusterID(key: Int64, cell: Int, tile: TileCoordinate) -> UInt64 {
        ExportFeature.stableID("cluster/\(tile)/\(cell)/\(key)")
    }
}
