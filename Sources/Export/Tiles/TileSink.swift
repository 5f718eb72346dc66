import Geometry

/// Where a tiler's tiles go: an archive (PMTiles, MBTiles) or a folder.
///
/// Tiles arrive in PMTiles order (zoom, then Hilbert curve), each at most once, as raw
/// (uncompressed) MVT bytes; `finish` is called once after the last tile.
public protocol TileSink: AnyObject {
    func write(_ tile: TileCoordinate, mvt: [UInt8]) throws
    func finish(_ tileset: TilesetDescription) throws
}

/// What a finished tile set holds, for metadata, TileJSON and styles.
public struct TilesetDescription: Hashable, Sendable {
    public var name: String
    public var layerName: String
    public var minZoom: Int
    public var maxZoom: Int
    /// Longitude/latitude box of every feature tiled (after safeguarding); nil when empty.
    public var bounds: BoundingBox?
    /// Field name → "String", "Number" or "Boolean", as TileJSON's `vector_layers` wants.
    public var fields: [String: String]
    /// Shown by map clients.
    public var attribution: String = "GraveAtlas"
    public var description: String = ""

    public init(name: String, layerName: String, minZoom: Int, maxZoom: Int, bounds: BoundingBox?, fields: [String: String]) {
        self.name = name
        self.layerName = layerName
        self.minZoom = minZoom
        self.maxZoom = maxZoom
        self.bounds = bounds
        self.fields = fields
        // Generalised sites are drawn as their cell, with how many it holds.
        if fields[SafeguardingPolicy.generalisedKey] != nil { self.fields[ClusterCell.countKey] = "Number" }
    }

    /// The map's starting point: the centre of the bounds at the lowest zoom.
    public var center: (lon: Double, lat: Double, zoom: Int) {
        let c = bounds?.center ?? Position(x: 0, y: 0)
        return (c.x, c.y, minZoom)
    }

    /// Bounds clamped to the Web Mercator square, or the whole world.
    public var publishedBounds: BoundingBox {
        guard let b = bounds else { return BoundingBox(minX: -180, minY: -85.0511, maxX: 180, maxY: 85.0511) }
        let m = WebMercator.maxLatitude
        return BoundingBox(minX: max(-180, b.minX), minY: max(-m, b.minY), maxX: min(180, b.maxX), maxY: min(m, b.maxY))
    }
}

/// Figures about one tiling run.
public struct TileSummary: Hashable, Sendable {
    /// Tiles written, per zoom.
    public var tilesPerZoom: [Int: Int] = [:]
    /// Features drawn, per zoom (a cluster counts once).
    public var featuresPerZoom: [Int: Int] = [:]
    /// The largest encoded (uncompressed) tile in bytes, and where.
    public var largestTileBytes = 0
    public var largestTile: TileCoordinate?
    /// Tiles over `maxTileBytes` (only possible at the maximum zoom, where nothing is dropped).
    public var oversizedTiles = 0
    public var tileCount: Int { tilesPerZoom.values.reduce(0, +) }
}
