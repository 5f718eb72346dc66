import Geometry

/// One zoom of a tiling run: places every feature in the tiles it touches, then builds the
/// tiles in Hilbert order.
struct ZoomLevel {
    let zoom: Int
    let options: TileOptions
    let sites: [PreparedSite]
    let context: GEOSContext
    /// Zoom pixel units per world unit.
    let scale: Double
    let isMaxZoom: Bool
    private var scaledShapes: [Int: Geometry] = [:]

    init(zoom: Int, options: TileOptions, sites: [PreparedSite], context: GEOSContext) {
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
        if let p = site.point { return .point(Position(x: p.x * scale, y: p.y * scale)) }
        let b = BoundingBox(
            minX: site.box.minX * scale, minY: site.box.minY * scale,
            maxX: site.box.maxX * scale, maxY: site.box.maxY * scale)
        // An area smaller than a tile unit would vanish when rounded: it is drawn as a point.
        if site.isAreal, b.width < 1, b.height < 1 { return .point(b.center) }
        return .shape(b)
    }

    mutating func cut(
        into sink: some TileSink, summary: inout TileSummary,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) throws {
        let n = 1 << zoom
        let e = Double(options.extent), b = Double(options.buffer)
        func tileRange(_ lo: Double, _ hi: Double) -> ClosedRange<Int> {
            let a = max(0, min(n - 1, Int((lo / e).rounded(.down))))
            let z = max(0, min(n - 1, Int((hi / e).rounded(.down))))
            return a...z
        }
        var placements: [(key: UInt64, index: Int32)] = []
        placements.reserveCapacity(sites.count)
        var placed: [Placement] = []
        placed.reserveCapacity(sites.count)
        for (i, site) in sites.enumerated() {
            let p = placement(of: site)
            placed.append(p)
            switch p {
            case let .point(q):
                if isMaxZoom {
                    for x in tileRange(q.x - b, q.x + b) {
                        for y in tileRange(q.y - b, q.y + b) {
                            placements.append((TileCoordinate(z: zoom, x: x, y: y).hilbertID, Int32(i)))
                        }
                    }
                } else {
                    let t = TileCoordinate(z: zoom, x: Int((q.x / e).rounded(.down)), y: Int((q.y / e).rounded(.down)))
                    placements.append((t.hilbertID, Int32(i)))
                }
            case let .shape(box):
                for x in tileRange(box.minX - b, box.maxX + b) {
                    for y in tileRange(box.minY - b, box.maxY + b) {
                        placements.append((TileCoordinate(z: zoom, x: x, y: y).hilbertID, Int32(i)))
                    }
                }
            }
        }
        placements.sort { $0.key != $1.key ? $0.key < $1.key : $0.index < $1.index }
        var start = 0
        while start < placements.count {
            var end = start
            while end < placements.count, placements[end].key == placements[start].key { end += 1 }
            let tile = TileCoordinate(hilbertID: placements[start].key)
            let members = placements[start..<end].map { Int($0.index) }
            if let bytes = try build(tile, members: members, placed: placed, summary: &summary, attributes: attributes) {
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

    /// The encoded tile, or nil when nothing is drawn in it.
    private mutating func build(
        _ tile: TileCoordinate, members: [Int], placed: [Placement], summary: inout TileSummary,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) throws -> [UInt8]? {
        let shaper = TileShaper(context: context, extent: options.extent, buffer: options.buffer)
        var shapes = VectorTileLayer(name: options.layerName, extent: options.extent)
        var points: [(index: Int, at: TilePoint)] = []
        for i in members {
            let site = sites[i]
            switch placed[i] {
            case let .point(q):
                points.append((i, shaper.local(q, tile)))
            case let .shape(box):
                guard let g = try scaledShape(i) else { continue }
                let geometry = try shape(g, box: box, tile: tile, shaper: shaper)
                if let geometry {
                    shapes.add(id: site.feature.tileID, geometry: geometry, properties: attributes(site.feature.properties))
                } else if site.isAreal, let home = homePoint(box, tile: tile, shaper: shaper) {
                    // The area collapsed in this tile although its centre lies here: keep it visible.
                    points.append((i, home))
                }
            }
        }
        var cell = isMaxZoom ? 0 : options.clusterCell
        while true {
            var layer = shapes
            addPoints(points, cell: cell, tile: tile, into: &layer, attributes: attributes)
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
        if !isMaxZoom, options.simplification > 0 {
            g = try context.simplify(g, tolerance: options.simplification)
        }
        scaledShapes[i] = g
        return g
    }

    /// Adds point features, clustered on cells of `cell` tile units when `cell > 0`; returns
    /// how many sites were drawn.
    @discardableResult
    private func addPoints(
        _ points: [(index: Int, at: TilePoint)], cell: Int, tile: TileCoordinate, into layer: inout VectorTileLayer,
        attributes: ([ExportFeature.Property]) -> [ExportFeature.Property]
    ) -> Int {
        guard cell > 0 else {
            for (i, p) in points {
                layer.add(id: sites[i].feature.tileID, geometry: .points([p]), properties: attributes(sites[i].feature.properties))
            }
            return points.count
        }
        let shift = Int32(cell.trailingZeroBitCount)
        var groups: [Int64: [(index: Int, at: TilePoint)]] = [:]
        for entry in points {
            let key = Int64(entry.at.x >> shift) << 32 | Int64(UInt32(bitPattern: entry.at.y >> shift))
            groups[key, default: []].append(entry)
        }
        for key in groups.keys.sorted() {
            guard let group = groups[key] else { continue }
            if group.count == 1 {
                let (i, p) = group[0]
                layer.add(id: sites[i].feature.tileID, geometry: .points([p]), properties: attributes(sites[i].feature.properties))
                continue
            }
            var sx = 0.0, sy = 0.0
            for (_, p) in group {
                sx += Double(p.x)
                sy += Double(p.y)
            }
            let c = TilePoint(x: Int32((sx / Double(group.count)).rounded()), y: Int32((sy / Double(group.count)).rounded()))
            var props: [ExportFeature.Property] = [.init("cluster", true), .init("point_count", .int(Int64(group.count)))]
            let conditions = Set(group.map { sites[$0.index].feature.value(for: "condition") })
            if conditions.count == 1, let only = conditions.first, let condition = only {
                props.append(.init("condition", condition))
            }
            layer.add(id: clusterID(key: key, cell: cell, tile: tile), geometry: .points([c]), properties: props)
        }
        return points.count
    }

    /// A cluster's id: above 2^53 never, distinct from site ids only by chance, stable per cell.
    private func clusterID(key: Int64, cell: Int, tile: TileCoordinate) -> UInt64 {
        ExportFeature.stableID("cluster/\(tile)/\(cell)/\(key)")
    }
}
