import Geometry

/// Generalised sites in tiles: the sites an audience sees generalised (`SafeguardingPolicy`:
/// moved to the centre of their grid cell) are drawn as that cell's square, one feature per
/// occupied cell and tile, at every zoom, never as points and never in a cluster.
///
/// ```swift
/// ClusterCell.generalised(feature)?.squareWorldBox   // the 0.1° square around its centre
/// ```
/// A cell's feature carries `generalised: true`, `cell_size_deg`, `count` (how many of the
/// audience's generalised sites the cell holds: the same number the audience's GeoJSON and
/// features API list there, one feature per site, so the count tells it nothing new) and
/// `condition` when they all have the same one; never a site's id, name or position. Its id is
/// the cell's, the same in every tile and zoom.
extension ClusterCell {
    /// The cell of a generalised feature (a point at its cell's centre with `generalised: true`
    /// and a positive `cell_size_deg`), holding that one site; nil for any other feature.
    static func generalised(_ feature: ExportFeature) -> ClusterCell? {
        guard feature.value(for: SafeguardingPolicy.generalisedKey) == .bool(true),
              case let .point(point) = feature.geometry else { return nil }
        let size: Double
        switch feature.value(for: SafeguardingPolicy.cellSizeKey) {
        case let .double(d): size = d
        case let .int(i): size = Double(i)
        default: return nil
        }
        guard size > 0, size.isFinite else { return nil }
        let w = WebMercator.world(point.position)
        var cell = ClusterCell(site: -1, at: (FixedWorld.fixed(w.x), FixedWorld.fixed(w.y)),
                               condition: .all(feature.value(for: "condition")))
        cell.cellSizeDegrees = size
        return cell
    }

    /// The longitude/latitude box of what the tiles draw for `feature`: a generalised site's
    /// cell square (its centre ± half the cell), else the feature's own box. A tile set's
    /// `bounds` take this in, or a map asks only for the tiles around the cell's centre and
    /// draws a strip of the square (MapLibre requests no tile outside a source's bounds).
    public static func drawnBox(_ feature: ExportFeature) -> BoundingBox? {
        guard let cell = generalised(feature), case let .point(point) = feature.geometry else {
            return feature.geometry.boundingBox
        }
        let half = cell.cellSizeDegrees / 2, c = point.position
        return BoundingBox(minX: Swift.max(-180, c.x - half), minY: Swift.max(-90, c.y - half),
                           maxX: Swift.min(180, c.x + half), maxY: Swift.min(90, c.y + half))
    }

    /// What identifies a generalised cell: its centre and its size.
    struct SquareKey: Hashable, Sendable {
        var column: Int64
        var row: Int64
        var size: UInt64
    }

    var squareKey: SquareKey { SquareKey(column: column, row: row, size: cellSizeDegrees.bitPattern) }

    /// The generalised cell's square in world units (0…1, y down): its centre ± half its size
    /// in longitude and latitude, within the Web Mercator square.
    var squareWorldBox: BoundingBox {
        let centre = WebMercator.position(world: Position(x: FixedWorld.world(Double(column)), y: FixedWorld.world(Double(row))))
        let half = cellSizeDegrees / 2
        let northWest = WebMercator.world(Position(x: Swift.max(-180, centre.x - half), y: centre.y + half))
        let southEast = WebMercator.world(Position(x: Swift.min(180, centre.x + half), y: centre.y - half))
        return BoundingBox(minX: northWest.x, minY: northWest.y, maxX: southEast.x, maxY: southEast.y)
    }

    /// Orders generalised cells the same way wherever a tile is cut.
    static func squareOrder(_ a: ClusterCell, _ b: ClusterCell) -> Bool {
        (a.row, a.column, a.cellSizeDegrees) < (b.row, b.column, b.cellSizeDegrees)
    }
}

/// Generalised cells summed by square: sites of one cell added in any order give the same cell.
struct GeneralisedCells: Sendable {
    private var byKey: [ClusterCell.SquareKey: ClusterCell] = [:]

    var isEmpty: Bool { byKey.isEmpty }

    mutating func add(_ cell: ClusterCell) {
        let key = cell.squareKey
        if var kept = byKey[key] {
            kept.add(cell)
            byKey[key] = kept
        } else {
            byKey[key] = cell
        }
    }

    /// Every cell, in `ClusterCell.squareOrder`.
    var sorted: [ClusterCell] { byKey.values.sorted(by: ClusterCell.squareOrder) }
}

extension ZoomLevel {
    /// A generalised cell's square in `tile`'s units, cut to the tile and its buffer: a
    /// rectangle cut by the tile's rectangle, so its new corners lie on the tile's buffer edge,
    /// which is public and says nothing of where the cell's sites are. Cut, because a renderer
    /// keeps a tile's coordinates in 16 bits: MapLibre clamps a vertex beyond ±32,767 (after
    /// scaling to its 8,192 units), and a 0.1° square, some five tiles across at zoom 14,
    /// then drew as a band one tile tall. Neighbouring tiles' parts meet within the buffer.
    /// At least one unit a side, so that it never vanishes.
    func square(_ cell: ClusterCell, in tile: TileCoordinate) -> [TilePoint] {
        let w = cell.squareWorldBox, e = Double(options.extent), b = Double(options.buffer)
        func local(_ v: Double, _ origin: Int) -> Int32 {
            Int32(Swift.max(-b, Swift.min(e + b, (v * scale - Double(origin) * e).rounded())))
        }
        let x0 = local(w.minX, tile.x), y0 = local(w.minY, tile.y)
        let x1 = Swift.max(local(w.maxX, tile.x), x0 + 1), y1 = Swift.max(local(w.maxY, tile.y), y0 + 1)
        // Clockwise on screen (y down): MVT's exterior ring.
        return [TilePoint(x: x0, y: y0), TilePoint(x: x1, y: y0), TilePoint(x: x1, y: y1), TilePoint(x: x0, y: y1)]
    }

    /// Whether a generalised cell's square, with the tile buffer, touches `tile`.
    func touches(square cell: ClusterCell, _ tile: TileCoordinate) -> Bool {
        touches(scaled(cell.squareWorldBox), tile)
    }

    /// A world box in this zoom's pixel units.
    func scaled(_ w: BoundingBox) -> BoundingBox {
        BoundingBox(minX: w.minX * scale, minY: w.minY * scale, maxX: w.maxX * scale, maxY: w.maxY * scale)
    }

    /// The feature of a generalised cell in a tile.
    func addSquares(_ cells: [ClusterCell], tile: TileCoordinate, into layer: inout VectorTileLayer) {
        for cell in cells.sorted(by: ClusterCell.squareOrder) {
            var props: [ExportFeature.Property] = [
                .init(SafeguardingPolicy.generalisedKey, true), .init(SafeguardingPolicy.cellSizeKey, .double(cell.cellSizeDegrees)),
                .init(ClusterCell.countKey, .int(cell.count)),
            ]
            if case let .all(condition) = cell.condition, let condition { props.append(.init("condition", condition)) }
            let id = ExportFeature.stableID("generalised/\(cell.cellSizeDegrees)/\(cell.column)/\(cell.row)")
            layer.add(id: id, geometry: .polygons([square(cell, in: tile)]), properties: props)
        }
    }
}
