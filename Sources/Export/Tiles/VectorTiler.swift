import Geometry

/// Cuts safeguarded features into Mapbox Vector Tiles (2.1), zoom by zoom, and hands each tile
/// to a sink in PMTiles order.
///
/// ```swift
/// let tiler = try VectorTiler(options: TileOptions(minZoom: 0, maxZoom: 14))
/// let summary = try tiler.run(features, into: try PMTilesWriter(path: "sites.pmtiles"))
/// ```
/// Features are spooled (`SiteSpool`): a compact record each in memory, their bytes in a
/// scratch file read back per tile, so an export's memory does not grow with its fields.
/// Features must already be safeguarded for the audience (`SafeguardingPolicy`): the tiler
/// draws what it is given. Below the maximum zoom, points (and polygons smaller than a tile
/// unit) are clustered on a grid aligned with the tile; a cluster carries `cluster: true`,
/// `point_count`, and `condition` when its members agree. At the maximum zoom every feature is
/// drawn on its own.
///
/// - Complexity: O(n·z log n) for n features over z zooms, plus GEOS clipping of shapes and
///   one read of a feature per tile that draws it on its own.
public struct VectorTiler: Sendable {
    public let options: TileOptions

    public init(options: TileOptions) throws {
        try options.validate()
        self.options = options
    }

    /// Cuts features held in memory (spooled to the system's temporary folder first).
    public func run(_ features: [ExportFeature], into sink: some TileSink) throws -> TileSummary {
        let spool = try SiteSpool(options: options)
        defer { spool.discard() }
        for f in features { try spool.add(f) }
        return try run(spool, into: sink)
    }

    /// Cuts a spool's sites, zoom by zoom; memory is the spool's records, one zoom's
    /// placements and one tile's features (see `ZoomLevel.cut`).
    public func run(_ spool: SiteSpool, into sink: some TileSink) throws -> TileSummary {
        try spool.finishAdding()
        var summary = TileSummary()
        var fields = spool.fields
        if options.clusterCell > 0, options.minZoom < options.maxZoom {
            fields["cluster"] = "Boolean"
            fields["point_count"] = "Number"
        }
        let context = try GEOSContext()
        for zoom in options.minZoom...options.maxZoom {
            try ZoomLevel.cut(zoom: zoom, options: options, spool: spool, context: context,
                              into: sink, summary: &summary, attributes: kept)
        }
        try sink.finish(TilesetDescription(
            name: options.name, layerName: options.layerName, minZoom: options.minZoom,
            maxZoom: options.maxZoom, bounds: spool.bounds, fields: fields))
        return summary
    }

    /// The properties that go into tiles.
    func kept(_ properties: [ExportFeature.Property]) -> [ExportFeature.Property] {
        Self.keeping(options.attributes)(properties)
    }

    /// Keeps the properties named in `attributes` (all of them when nil).
    static func keeping(_ attributes: [String]?) -> @Sendable ([ExportFeature.Property]) -> [ExportFeature.Property] {
        guard let attributes else { return { $0 } }
        let wanted = Set(attributes)
        return { $0.filter { wanted.contains($0.key) } }
    }
}

/// A feature projected once to world units (0…1, y down).
struct PreparedSite: Sendable {
    let feature: ExportFeature
    /// Set for point features.
    let point: Position?
    /// Set for every other geometry.
    let shape: Geometry?
    let box: BoundingBox
    let isAreal: Bool
    /// The second part of a site drawn across the antimeridian (`parts(of:)`): drawn as a shape
    /// where it lies, never as a point (its site is counted and clustered once, as its first part).
    var continuation = false

    /// The feature as the tiles draw it: one site, or the parts either side of the antimeridian
    /// of one drawn across it (`Geometry.tileParts`), the second a `continuation`.
    static func parts(of feature: ExportFeature) -> [PreparedSite] {
        let parts = feature.geometry.tileParts
        guard parts.count > 1 else { return [PreparedSite(feature)] }
        return parts.enumerated().map { j, part in
            var piece = feature
            piece.geometry = part
            var prepared = PreparedSite(piece)
            prepared.continuation = j > 0
            return prepared
        }
    }

    init(_ feature: ExportFeature) {
        self.feature = feature
        if case let .point(p) = feature.geometry {
            let w = WebMercator.world(p.position)
            point = w
            shape = nil
            box = BoundingBox(w)
        } else {
            let projected = try? feature.geometry.mappingPositions(WebMercator.world)
            point = nil
            shape = projected
            box = projected?.boundingBox ?? BoundingBox(minX: 0, minY: 0, maxX: 0, maxY: 0)
        }
        isAreal = !feature.geometry.polygonParts.isEmpty
    }
}
