/// Everything that can go wrong in the Geometry module, each case saying what and where.
public enum GeometryError: Error, Hashable, Sendable, CustomStringConvertible {
    // Structure
    /// A linear ring whose first and last positions differ.
    case ringNotClosed(first: Position, last: Position)
    /// A line string or ring with fewer positions than it needs (2 for a line, 4 for a ring).
    case tooFewPositions(kind: String, count: Int, minimum: Int)
    /// A coordinate that is NaN or infinite.
    case nonFiniteCoordinate(Position)

    // Encodings
    /// Malformed WKB; `offset` is the byte where reading failed.
    case invalidWKB(offset: Int, reason: String)
    /// Malformed WKT; `offset` is the character where reading failed.
    case invalidWKT(offset: Int, reason: String)
    /// Malformed GeoJSON; `path` locates the member (e.g. `coordinates[0][3]`).
    case invalidGeoJSON(path: String, reason: String)
    /// Malformed JSON; `offset` is the byte where reading failed.
    case invalidJSON(offset: Int, reason: String)

    // Engines
    /// A GEOS operation failed; `message` is GEOS's own.
    case geos(operation: String, message: String)
    /// A CRS definition PROJ could not understand.
    case unknownCRS(definition: String, message: String)
    /// A coordinate transformation PROJ could not carry out.
    case transformFailed(from: String, to: String, message: String)
    /// A geodesic computation was asked of something it does not apply to.
    case geodesic(reason: String)

    public var description: String {
        switch self {
        case let .ringNotClosed(first, last):
            return "ring is not closed: it starts at \(first) but ends at \(last)"
        case let .tooFewPositions(kind, count, minimum):
            return "\(kind) has \(count) position\(count == 1 ? "" : "s"), needs at least \(minimum)"
        case let .nonFiniteCoordinate(position):
            return "coordinate \(position) is not a finite number"
        case let .invalidWKB(offset, reason):
            return "invalid WKB at byte \(offset): \(reason)"
        case let .invalidWKT(offset, reason):
            return "invalid WKT at character \(offset): \(reason)"
        case let .invalidGeoJSON(path, reason):
            return path.isEmpty ? "invalid GeoJSON: \(reason)" : "invalid GeoJSON at \(path): \(reason)"
        case let .invalidJSON(offset, reason):
            return "invalid JSON at byte \(offset): \(reason)"
        case let .geos(operation, message):
            return "GEOS \(operation) failed: \(message)"
        case let .unknownCRS(definition, message):
            return "unknown CRS '\(definition)': \(message)"
        case let .transformFailed(from, to, message):
            return "cannot transform from \(from) to \(to): \(message)"
        case let .geodesic(reason):
            return reason
        }
    }
}
