/// What can go wrong with evidence files, each case naming the file and why.
public enum EvidenceError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A file given to be hashed or kept cannot be read (missing, a folder, unreadable).
    case unreadable(path: String, reason: String)
    /// The evidence folder could not be written (a disk full, no permission …).
    case cannotKeep(path: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read: \(reason)"
        case let .cannotKeep(path, reason): "\(path): cannot keep the evidence file: \(reason)"
        }
    }
}
