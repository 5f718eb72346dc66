/// What can go wrong with signing keys, manifests and their signatures as files, each case
/// naming the file and why. (A file that does not match its manifest is a finding of
/// `ManifestCheck`, not an error.)
public enum ManifestError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A key file that cannot be read as one (wrong type line, bad base64, wrong length, too big).
    case badKey(path: String, reason: String)
    /// `key new` would overwrite a key file.
    case keyExists(path: String)
    /// A manifest that cannot be read or is not one (not JSON, no file list, a path that leaves
    /// its folder …).
    case badManifest(path: String, reason: String)
    /// A signature file that cannot be read as one.
    case badSignature(path: String, reason: String)
    /// A file could not be written (the disk, permissions).
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .badKey(path, reason): "\(path): not a graveatlas key: \(reason)"
        case let .keyExists(path): "\(path): a key file is already there; keys are never overwritten (give another name)"
        case let .badManifest(path, reason): "\(path): not a usable manifest: \(reason)"
        case let .badSignature(path, reason): "\(path): not a usable signature: \(reason)"
        case let .cannotWrite(path, reason): "\(path): cannot write: \(reason)"
        }
    }
}
