/// An axis-aligned box in the coordinates of its geometry.
///
/// For geographic data `minX > maxX` is never produced here: a box that crosses the
/// antimeridian is the caller's to split.
public struct BoundingBox: Hashable, Sendable, BitwiseCopyable, CustomStringConvertible {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The degenerate box of one position.
    public init(_ position: Position) {
        self.init(minX: position.x, minY: position.y, maxX: position.x, maxY: position.y)
    }

    public mutating func extend(_ p: Position) {
        minX = Swift.min(minX, p.x)
        minY = Swift.min(minY, p.y)
        maxX = Swift.max(maxX, p.x)
        maxY = Swift.max(maxY, p.y)
    }

    public mutating func extend(_ other: BoundingBox) {
        minX = Swift.min(minX, other.minX)
        minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX)
        maxY = Swift.max(maxY, other.maxY)
    }

    public func intersects(_ other: BoundingBox) -> Bool {
        minX <= other.maxX && other.minX <= maxX && minY <= other.maxY && other.minY <= maxY
    }

    public func contains(_ p: Position) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }

    public var width: Double { maxX - minX }
    public var height: Double { maxY - minY }
    public var center: Position { Position(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }

    public var description: String { "[\(minX), \(minY), \(maxX), \(maxY)]" }
}
