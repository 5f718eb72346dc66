/// A coordinate pair: longitude and latitude in degrees for geographic data, easting and
/// northing for projected data. GraveAtlas always puts the longitude (x) first.
///
/// ```swift
/// let khavaran = Position(x: 51.389, y: 35.689)
/// ```
/// Positions are plain values; whether they are finite is checked by the geometry types that
/// hold them, so that a position can be built freely while parsing.
public struct Position: Hashable, Sendable, CustomStringConvertible {
    /// Longitude, or easting.
    public var x: Double
    /// Latitude, or northing.
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// Geographic spelling of `init(x:y:)`.
    public init(longitude: Double, latitude: Double) {
        self.init(x: longitude, y: latitude)
    }

    public var longitude: Double { x }
    public var latitude: Double { y }

    /// Both coordinates are neither NaN nor infinite.
    public var isFinite: Bool { x.isFinite && y.isFinite }

    public var description: String { "(\(x) \(y))" }
}
