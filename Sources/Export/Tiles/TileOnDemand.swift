import Geometry

/// One vector tile cut on its own, from the features that may be drawn in it, by the code
/// `export tiles` cuts every tile with (`ZoomLevel.build`): the server's tiles and an export's
/// tiles of the same store and audience are the same bytes.
///
/// ```swift
/// let cutter = try TileOnDemand(options: TileOptions(minZoom: 0, maxZoom: 14))
/// // At the maximum zoom (or any zoom, given every site that may lie in the tile):
/// let mvt = try cutter.tile(TileCoordinate(z: 14, x: 10533, y: 6449), features: candidates)
/// // Below it, the shapes plus a summary's clusters (`ClusterSummary`):
/// let low = try cutter.tile(t, features: shapes, cells: summary.cells(in: t)) { fid in try feature(fid) }
/// ```
/// `features` must be in the order an export lists the sites (the published order for
/// `public` and `partner`, the store's for `internal`), already safeguarded for the audience;
/// features that are not drawn in the tile are left out, so any superset of the tile's sites
/// will do. nil when nothing is drawn in the tile.
public struct TileOnDemand: Sendable {
    public let options: TileOptions

    public init(options: TileOptions) throws {
        try options.validate()
        self.options = options
    }

    /// The tile, with `cells` (a summary's, for sites the features do not hold) clustered in
    /// with the features drawn as points; a cell of one site is drawn as that site, which
    /// `site` gives from the cell's reference (nil leaves it out).
    public func tile(
        _ tile: TileCoordinate, features: [ExportFeature], cells: [ClusterCell] = [],
        site: (Int64) throws -> ExportFeature? = { _ in nil }
    ) throws -> [UInt8]? {
        guard tile.z >= options.minZoom, tile.z <= options.maxZoom else { return nil }
        var sites = features.flatMap(PreparedSite.parts(of:))
        var points: [ClusterCell] = []
        var shapes: [Int] = []
        var squares = GeneralisedCells()
        let probe = ZoomLevel(zoom: tile.z, options: options, sites: [], context: try GEOSContext())
        let b = Double(options.buffer)
        for (i, s) in sites.enumerated() {
            if let square = ClusterCell.generalised(s.feature) {
                if probe.touches(square: square, tile) { squares.add(square) }
                continue
            }
            switch probe.placement(of: s) {
            case let .point(q):
                // A site across the antimeridian is a point once, as its first part.
                if s.continuation { continue }
                let inside = probe.isMaxZoom
                    ? probe.tileRange(q.x - b, q.x + b).contains(tile.x) && probe.tileRange(q.y - b, q.y + b).contains(tile.y)
                    : probe.fixedPoint(of: s).map { probe.tile(ofFixed: $0) == tile } ?? false
                guard inside else { continue }
                let w = s.point ?? s.box.center
                points.append(ClusterCell(site: Int64(i), at: (FixedWorld.fixed(w.x), FixedWorld.fixed(w.y)),
                                          condition: .all(s.feature.value(for: "condition"))))
            case let .shape(box):
                if probe.touches(box, tile) { shapes.append(i) }
            }
        }
        for var cell in cells {
            if cell.isGeneralised {
                if probe.touches(square: cell, tile) { squares.add(cell) }
                continue
            }
            if cell.count == 1 {
                guard let f = try site(cell.site) else { continue }
                cell.site = Int64(sites.count)
                sites.append(PreparedSite.parts(of: f)[0])
            }
            points.append(cell)
        }
        var level = ZoomLevel(zoom: tile.z, options: options, sites: sites, context: probe.context)
        var summary = TileSummary()
        let attributes = VectorTiler.keeping(options.attributes)
        return try level.build(tile, ZoomLevel.Content(shapes: shapes, points: points, squares: squares.sorted), summary: &summary,
                               attributes: attributes)
    }
}
