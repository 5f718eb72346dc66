import Foundation
import Geometry
import Synchronization

/// An output written under a temporary name beside its destination and moved into place only
/// once it is whole: a kill, a full disk or an error leaves the previous file (or folder) as it
/// was, or nothing, never a truncated output under the final name.
///
/// ```swift
/// let partial = try PartialFile(destination: "public.geojson")
/// // … write everything to partial.path (".public.geojson.partial-3F2A9C01" beside it) …
/// try partial.commit()      // synced, then renamed over public.geojson in one step
/// ```
/// A partial file is registered until it is committed or discarded, so that SIGINT and
/// SIGTERM remove it (`PartialFiles.removeAll`); dropping it uncommitted discards it. SIGKILL
/// cannot be caught: it leaves the hidden partial file beside the intact destination, which
/// the next export to the same name removes (`sweep`).
/// A folder (`directory: true`) is built beside its destination and swapped in: the old
/// folder is renamed aside, the new one renamed into place, then the old one removed.
public final class PartialFile: @unchecked Sendable {   // one writer owns it
    /// Where the output belongs.
    public let destination: String
    /// Where it is written until `commit`.
    public let path: String
    public let isDirectory: Bool
    private var settled = false

    /// - Throws: `ExportError.io` when the folder of `destination` does not exist.
    public init(destination: String, directory: Bool = false) throws {
        let trimmed = destination.count > 1 && destination.hasSuffix("/") ? String(destination.dropLast()) : destination
        self.destination = trimmed
        isDirectory = directory
        let url = URL(fileURLWithPath: trimmed)
        let folder = url.deletingLastPathComponent().path
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ExportError.io(path: trimmed, reason: "the folder \(folder) does not exist")
        }
        Self.sweep(folder: folder, name: url.lastPathComponent)
        path = folder + "/." + url.lastPathComponent + ".partial-" + Self.tag()
        PartialFiles.register(path)
    }

    deinit {
        if !settled { discard() }
    }

    /// Moves the finished output into place (the caller has closed and synced what it wrote).
    /// - Throws: `ExportError.io` naming the destination; the partial output is then removed.
    public func commit() throws {
        guard !settled else { return }
        defer { settled = true; PartialFiles.unregister(path) }
        do {
            if isDirectory {
                try swapDirectory()
            } else {
                guard rename(path, destination) == 0 else { throw Self.failure(destination, "cannot move into place") }
            }
            Self.syncFolder(of: destination)
        } catch {
            remove()
            throw error
        }
    }

    /// Removes the partial output (and the companions SQLite may leave beside it).
    public func discard() {
        guard !settled else { return }
        settled = true
        remove()
        PartialFiles.unregister(path)
    }

    private func remove() {
        PartialFiles.removeItems(at: path)
    }

    private func swapDirectory() throws {
        var existing: ObjCBool = false
        guard FileManager.default.fileExists(atPath: destination, isDirectory: &existing) else {
            guard rename(path, destination) == 0 else { throw Self.failure(destination, "cannot move into place") }
            return
        }
        guard existing.boolValue else {
            throw ExportError.io(path: destination, reason: "a file is there, not a folder")
        }
        let aside = PathText.sibling(of: destination, named: "." + PathText.name(of: destination) + ".replaced-" + Self.tag())
        guard rename(destination, aside) == 0 else { throw Self.failure(destination, "cannot move the old folder aside") }
        guard rename(path, destination) == 0 else {
            let reason = Self.failure(destination, "cannot move into place")
            _ = rename(aside, destination)
            throw reason
        }
        try? FileManager.default.removeItem(atPath: aside)
    }

    /// This process's id and a random number: `4711-3F2A9C01`. The id lets a later export
    /// tell the leftovers of a killed one (`sweep`).
    private static func tag() -> String {
        "\(getpid())-" + String(format: "%08X", UInt32.random(in: .min ... .max))
    }

    static func failure(_ path: String, _ what: String) -> ExportError {
        let code = errno
        return .io(path: path, reason: "\(what): \(code == ENOSPC ? "the disk is full" : String(cString: strerror(code)))")
    }

    /// Syncs the folder's entry for `path`, so a rename survives a power cut.
    static func syncFolder(of path: String) {
        let folder = PathText.folder(of: path)
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = Glibc.close(fd)
    }
}

/// The partial outputs of this process not yet committed or discarded.
///
/// ```swift
/// PartialFiles.removeAll()    // on SIGINT or SIGTERM, before exiting
/// ```
public enum PartialFiles {
    private static let pending = Mutex<Set<String>>([])

    static func register(_ path: String) { _ = pending.withLock { $0.insert(path) } }
    static func unregister(_ path: String) { _ = pending.withLock { $0.remove(path) } }

    /// The partial outputs now pending.
    public static var paths: Set<String> { pending.withLock { $0 } }

    /// Removes every pending partial output: what a signal handler runs before the process
    /// exits, so that an interrupted export leaves nothing behind.
    public static func removeAll() {
        for path in pending.withLock({ p -> Set<String> in defer { p.removeAll() }; return p }) {
            removeItems(at: path)
        }
    }

    /// Removes `path` (a file or a folder) and SQLite's companions. Each is first renamed
    /// aside in one step, so that a writer still running (a signal handler removes what the
    /// main thread is writing) cannot put new files under the name while it is removed: the
    /// writer's next file or folder under the old name fails instead.
    static func removeItems(at path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] {
            let item = path + suffix
            let doomed = item + ".removing"
            let target = rename(item, doomed) == 0 ? doomed : item
            try? FileManager.default.removeItem(atPath: target)
        }
    }
}
