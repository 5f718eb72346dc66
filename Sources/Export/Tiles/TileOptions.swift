/// How a tile set is cut: zooms, tile extent and buffer, clustering, simplification, size limit.
///
/// ```swift
/// var options = TileOptions(minZoom: 0, maxZoom: 14)
/// options.attributes = ["name", "name:fa", "condition"]   // only these fields go into tiles
/// ```
public struct TileOptions: Hashable, Sendable {
    public var minZoom: Int
    public var maxZoom: Int
    /// Tile units per tile edge (MVT `extent`).
    public var extent: Int = 4096
    /// Tile units drawn beyond each tile edge, so that lines and symbols meet across tiles.
    public var buffer: Int = 64
    /// Edge of the clustering cell in tile units below the maximum zoom (a power of two that
    /// divides `extent`); 0 turns clustering off.
    public var clusterCell: Int = 128
    /// Largest encoded tile allowed below the maximum zoom before clustering coarsens.
    public var maxTileBytes: Int = 500_000
    /// Douglas–Peucker tolerance in tile units below the maximum zoom (none at the maximum).
    public var simplification: Double = 1
    /// The MVT layer name.
    public var layerName: String = "sites"
    /// Fields that go into tiles (in feature order); nil keeps every field.
    public var attributes: [String]?
    /// Name recorded in the archive metadata and TileJSON.
    public var name: String = "GraveAtlas sites"
    /// Where an export is published, making its TileJSON's and style's URLs absolute (nil:
    /// relative to the style's location; see `TileExport`). Tiles do not depend on it.
    public var baseURL: TileBaseURL?

    public init(minZoom: Int = 0, maxZoom: Int = 14) {
        self.minZoom = minZoom
        self.maxZoom = maxZoom
    }

    /// Checks the zoom range, extent, buffer and cluster cell.
    public func validate() throws {
        guard minZoom >= 0, maxZoom <= 24, minZoom <= maxZoom else {
            throw ExportError.invalidOption("zoom range \(minZoom)…\(maxZoom) must lie within 0…24, min ≤ max")
        }
        guard extent >= 256, extent & (extent - 1) == 0 else {
            throw ExportError.invalidOption("tile extent \(extent) must be a power of two ≥ 256")
        }
        guard buffer >= 0, buffer <= extent / 2 else {
            throw ExportError.invalidOption("tile buffer \(buffer) must lie within 0…\(extent / 2)")
        }
        guard clusterCell == 0 || (clusterCell & (clusterCell - 1) == 0 && clusterCell <= extent) else {
            throw ExportError.invalidOption("cluster cell \(clusterCell) must be 0 or a power of two ≤ \(extent)")
        }
    }
}
