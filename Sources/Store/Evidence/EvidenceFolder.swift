import Foundation
import Geometry

/// The content-addressed folder beside a store where evidence files are kept, read-only, each
/// once under its SHA-256: `STORE.evidence/sha256/ab/cdef…` (the first two hex digits name a
/// sub-folder, the other 62 the file).
///
/// ```swift
/// let folder = EvidenceFolder(store: "atlas.gpkg")     // atlas.gpkg.evidence/
/// let kept = try folder.keep("khavaran-2021.jpg")      // FileDigest(bytes: 48213, sha256: "9f86…")
/// try folder.check(kept.sha256)                        // .intact
/// ```
/// A file is copied and hashed in one pass into a temporary file in `incoming/` (its hash is known
/// only at the end), synced, made read-only (0444) and renamed into the sub-folder its hash names,
/// which is then synced: a crash leaves either no file or the whole file under a hash name, never a
/// part (a crash may leave a `.partial` in `incoming/`, which nothing reads). A file already kept
/// (same hash) is not copied again. Folders are made 0755. Nothing here deletes a kept file.
public struct EvidenceFolder: Sendable {
    /// The folder: the store's path with `.evidence` added.
    public let root: String

    public init(store: String) {
        root = store + ".evidence"
    }

    /// The folder at `root` (a database's evidence, which has no file to sit beside).
    public init(root: String) {
        self.root = root
    }

    /// What a check of a kept file found.
    public enum Finding: Hashable, Sendable {
        case intact
        case missing
        /// The file is there but its bytes hash to `found` (or it cannot be read: `found` nil).
        case altered(found: String?, bytes: Int?)
    }

    /// The path a file with this SHA-256 is kept at.
    public func path(for sha256: String) -> String {
        let hex = Array(sha256)
        return root + "/sha256/" + String(hex.prefix(2)) + "/" + String(hex.dropFirst(2))
    }

    /// Copies `file` into the folder (unless a file with its hash is kept already) and returns its
    /// size and SHA-256, as copied.
    /// - Throws: `EvidenceError.unreadable` when `file` cannot be read, `.cannotKeep` when the
    ///   folder cannot be written.
    public func keep(_ file: String) throws -> FileDigest {
        let scratchFolder = root + "/incoming"
        try makeFolder(root)
        try makeFolder(root + "/sha256")
        try makeFolder(scratchFolder)
        // First into a scratch folder (the hash is not known before the end), then into the
        // sub-folder the hash names: both lie in one file system, so the rename is atomic.
        let scratch = scratchFolder + "/" + UUID().uuidString + ".partial"
        let out = createExclusive(scratch)
        guard out >= 0 else { throw EvidenceError.cannotKeep(path: scratch, reason: String(cString: strerror(errno))) }
        var closed = false
        var placed = false
        defer {
            if !closed { close(out) }
            if !placed { unlink(scratch) }
        }
        let digest = try FileDigest(path: file) { chunk in
            var rest = chunk
            while !rest.isEmpty {
                let n = write(out, rest.baseAddress, rest.count)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw EvidenceError.cannotKeep(path: scratch, reason: String(cString: strerror(errno)))
                }
                rest = UnsafeRawBufferPointer(rebasing: rest[n...])
            }
        }
        guard fsync(out) == 0, fchmod(out, 0o444) == 0 else {
            throw EvidenceError.cannotKeep(path: scratch, reason: String(cString: strerror(errno)))
        }
        closed = true
        guard close(out) == 0 else {
            throw EvidenceError.cannotKeep(path: scratch, reason: String(cString: strerror(errno)))
        }
        let target = path(for: digest.sha256)
        let folder = PathText.folder(of: target)
        try makeFolder(folder)
        // Kept once, however often added. A kept file is never replaced, even one found altered:
        // `check` goes on naming it, and the new copy is not the one that was first recorded.
        if FileManager.default.fileExists(atPath: target) { return digest }
        guard rename(scratch, target) == 0 else {
            throw EvidenceError.cannotKeep(path: target, reason: String(cString: strerror(errno)))
        }
        placed = true
        try syncFolder(folder)
        return digest
    }

    /// Hashes the kept file with `sha256` again (streamed) and says whether it is intact.
    public func check(_ sha256: String) -> Finding {
        let file = path(for: sha256)
        var status = stat()
        guard lstat(file, &status) == 0 else { return .missing }
        guard let digest = try? FileDigest(path: file) else { return .altered(found: nil, bytes: nil) }
        return digest.sha256 == sha256 ? .intact : .altered(found: digest.sha256, bytes: digest.bytes)
    }

    private func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw EvidenceError.cannotKeep(path: path, reason: String(cString: strerror(errno)))
        }
    }

    private func syncFolder(_ path: String) throws {
        let handle = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard handle >= 0 else { throw EvidenceError.cannotKeep(path: path, reason: String(cString: strerror(errno))) }
        defer { close(handle) }
        guard fsync(handle) == 0 else { throw EvidenceError.cannotKeep(path: path, reason: String(cString: strerror(errno))) }
    }
}

/// A new file for writing only, never an existing one (no link followed), mode 0600 until it is
/// made read-only.
private func createExclusive(_ path: String) -> Int32 {
    open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
}
