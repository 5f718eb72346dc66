import Store

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
    /// A shown site's stored source attributes cannot be read as a JSON object.
    case sourceAttributes(siteID: String, reason: String)
    /// A filter names a field the audience does not see on any site; `known` lists those it does.
    case unknownField(field: String, audience: Audience, known: [String])
    /// A format that cannot write where it was asked to (GeoPackage to standard output).
    case unsupportedTarget(format: String, reason: String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case let .compression(reason): "compression failed: \(reason)"
        case let .geometry(siteID, reason): "site \(siteID): \(reason)"
        case let .invalidOption(reason): reason
        case let .database(path, reason): "\(path): \(reason)"
        case let .sourceAttributes(siteID, reason): "site \(siteID): source attributes are not readable: \(reason)"
        case let .unknownField(field, audience, known):
            "no field '\(field)' for the \(audience) audience"
                + (audience == .public ? " (source attributes are withheld at public)" : "")
                + "; known fields: \(known.joined(separator: ", "))"
        case let .unsupportedTarget(format, reason): "\(format): \(reason)"
        }
    }
}
