/// What went wrong with a token file or a token command.
///
/// ```swift
/// TokenError.noSuchLabel("hrw").description   // "no token is labelled 'hrw'"
/// ```
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    case malformed(path: String, line: Int, reason: String)
    case invalidLabel(String, reason: String)
    case invalidAudience
    case noSuchLabel(String)

    public var description: String {
        switch self {
        case let .unreadable(path, reason): "\(path): cannot read the token file: \(reason)"
        case let .unwritable(path, reason): "\(path): cannot write the token file: \(reason)"
        case let .malformed(path, line, reason): "\(path): line \(line): \(reason)"
        case let .invalidLabel(label, reason): "label '\(label)': \(reason)"
        case .invalidAudience: "tokens are for partner or internal; no token means public"
        case let .noSuchLabel(label): "no token is labelled '\(label)'"
        }
    }

    /// Whether the fault is the user's input (exit 2) rather than the system's (exit 1).
    public var isBadInput: Bool {
        switch self {
        case .unreadable, .unwritable: false
        default: true
        }
    }
}
