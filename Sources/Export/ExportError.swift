/// Everything that can go wrong while exporting, each case saying what and where.
public enum ExportError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file could not be opened, written or renamed.
    case io(path: String, reason: String)
    /// zlib refused to compress or decompress.
    case compression(reason: String)
    /// A feature's geometry could not be turned into the output format.
    case geometry(siteID: String, reason: String)
    /// Options that do not fit together (zoom range, output name …).
    case invalidOption(String)
    /// The MBTiles database failed.
    case database(path: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case let .compression(reason): "compression failed: \(reason)"
        case let .geometry(siteID, reason): "site \(siteID): \(reason)"
        case let .invalidOption(reason): reason
        case let .database(path, reason): "\(path): \(reason)"
        }
    }
}
