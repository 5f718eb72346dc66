import Foundation
import Geometry

/// A Web Mercator (XYZ, "slippy map") tile: zoom, column from the west, row from the north.
///
/// ```swift
/// let t = TileCoordinate(containing: Position(x: 51.389, y: 35.689), zoom: 10)  // 10/658/403
/// t.bounds        // its longitude/latitude box
/// t.tmsRow        // 620, the row MBTiles stores (counted from the south)
/// ```
/// Latitudes beyond ±85.0511° (the Mercator limit) are clamped into the outermost rows.
public struct TileCoordinate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let z: Int
    public let x: Int
    public let y: Int

    /// - Precondition-free: coordinates outside 0..<2^z are clamped into range.
    public init(z: Int, x: Int, y: Int) {
        let n = 1 << z
        self.z = z
        self.x = Swift.min(n - 1, Swift.max(0, x))
        self.y = Swift.min(n - 1, Swift.max(0, y))
    }

    /// The tile at `zoom` holding a longitude/latitude.
    public init(containing p: Position, zoom: Int) {
        let w = WebMercator.world(p)
        let n = Double(1 << zoom)
        self.init(z: zoom, x: Int((w.x * n).rounded(.down)), y: Int((w.y * n).rounded(.down)))
    }

    /// The row counted from the south, as MBTiles (TMS) stores it.
    public var tmsRow: Int { (1 << z) - 1 - y }

    /// The tile's longitude/latitude box.
    public var bounds: BoundingBox {
        let n = Double(1 << z)
        let nw = WebMercator.position(world: Position(x: Double(x) / n, y: Double(y) / n))
        let se = WebMercator.position(world: Position(x: Double(x + 1) / n, y: Double(y + 1) / n))
        return BoundingBox(minX: nw.x, minY: se.y, maxX: se.x, maxY: nw.y)
    }

    /// Tile units (0…extent, y down) of a longitude/latitude, unrounded; outside the tile the
    /// values fall outside 0…extent.
    public func tileUnits(_ p: Position, extent: Int = 4096) -> Position {
        let w = WebMercator.world(p)
        let n = Double(1 << z)
        return Position(x: (w.x * n - Double(x)) * Double(extent), y: (w.y * n - Double(y)) * Double(extent))
    }

    /// Ordered by PMTiles tile id (zoom, then Hilbert curve).
    public static func < (a: TileCoordinate, b: TileCoordinate) -> Bool { a.hilbertID < b.hilbertID }

    public var description: String { "\(z)/\(x)/\(y)" }
}

/// The spherical Mercator projection used by web maps, in "world" units: x and y in 0…1,
/// y growing southwards, (0, 0) at 180°W, 85.0511°N.
public enum WebMercator {
    /// The latitude at which the square world ends.
    public static let maxLatitude = 85.051_128_779_806_59

    public static func world(_ p: Position) -> Position {
        let lat = Swift.min(maxLatitude, Swift.max(-maxLatitude, p.y))
        let s = sin(lat * .pi / 180)
        let y = 0.5 - log((1 + s) / (1 - s)) / (4 * .pi)
        return Position(x: p.x / 360 + 0.5, y: y)
    }

    public static func position(world w: Position) -> Position {
        let lon = (w.x - 0.5) * 360
        let lat = atan(sinh(.pi * (1 - 2 * w.y))) * 180 / .pi
        return Position(x: lon, y: lat)
    }
}
