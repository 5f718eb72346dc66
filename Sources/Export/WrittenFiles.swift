/// The files an export wrote, in the order its manifest lists them: the tiles of a tile
/// folder first, held as their coordinates (8 bytes a tile, not a path: a folder of a million
/// sites holds some 300,000 tiles), then the files named by path.
///
/// ```swift
/// var files = WrittenFiles(tilesIn: "out/tiles")
/// files.append(tile: TileCoordinate(z: 3, x: 5, y: 2))
/// files.append("out/tiles/metadata.json")
/// Array(files)   // ["out/tiles/3/5/2.mvt", "out/tiles/metadata.json"]
/// ```
/// A tile's path is made when it is read: `FOLDER/z/x/y.mvt`.
public struct WrittenFiles: RandomAccessCollection, ExpressibleByArrayLiteral, Sendable {
    /// The folder the tiles are in (its final path), nil when there are none.
    public let tileFolder: String?
    private var tiles: [UInt64] = []
    private var paths: [String]

    /// Files named by path.
    public init(_ paths: [String] = []) {
        tileFolder = nil
        self.paths = paths
    }

    public init(arrayLiteral paths: String...) { self.init(paths) }

    /// Tiles of the folder at `folder` (its path without a trailing slash), none yet.
    public init(tilesIn folder: String) {
        tileFolder = folder
        paths = []
    }

    /// Adds a tile of the folder (z within 0…24, as `TileOptions` allows). Tiles are listed
    /// before every path, in the order added.
    public mutating func append(tile: TileCoordinate) {
        tiles.append(UInt64(tile.z) << 58 | UInt64(tile.x) << 29 | UInt64(tile.y))
    }

    /// Adds a file named by its path, after those added before.
    public mutating func append(_ path: String) { paths.append(path) }

    /// These files, then `more`.
    public func appending(contentsOf more: [String]) -> WrittenFiles {
        var all = self
        all.paths += more
        return all
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { tiles.count + paths.count }

    public subscript(position: Int) -> String {
        guard position < tiles.count else { return paths[position - tiles.count] }
        let packed = tiles[position], mask: UInt64 = (1 << 29) - 1
        return "\(tileFolder ?? ".")/\(packed >> 58)/\(packed >> 29 & mask)/\(packed & mask).mvt"
    }
}
