import Foundation
import Synchronization

/// The temporary folders a command is using (an import's extracted zips and staged shapefiles,
/// a command's private copy of a database), so that SIGINT and SIGTERM remove them before the
/// process exits.
///
/// ```swift
/// ImportScratch.register(folder)      // before creating it
/// … extract into folder …
/// ImportScratch.remove(folder)        // when done: removed and forgotten
/// ImportScratch.removeAll()           // in a signal handler, before exiting
/// ```
/// Registering comes before creating, so there is no moment when a folder exists that a
/// signal would not remove. SIGKILL cannot be caught: it leaves the folder in `$TMPDIR`.
public enum ImportScratch {
    private static let pending = Mutex<Set<String>>([])
    /// Held while a file or folder is made in a registered folder, and by `removeAll` from
    /// the moment it begins: nothing is made after the folders are removed.
    private static let making = NSLock()
    nonisolated(unsafe) private static var ending = false

    /// Makes a file or folder inside a registered folder (`make`), unless the process is
    /// ending on a signal: then it waits for the end rather than make what `removeAll`,
    /// already past, would leave behind (a folder made again with its intermediate ones).
    public static func making<T>(_ make: () throws -> T) rethrows -> T {
        making.lock()
        defer { making.unlock() }
        while ending { pause() }
        return try make()
    }

    /// Remembers `folder` as one to remove on interruption.
    public static func register(_ folder: URL) { _ = pending.withLock { $0.insert(folder.path) } }

    /// Removes `folder` and forgets it.
    public static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        _ = pending.withLock { $0.remove(folder.path) }
    }

    /// The temporary folders now in use.
    public static var paths: Set<String> { pending.withLock { $0 } }

    /// Removes every temporary folder in use: what a signal handler runs just before the
    /// process exits, so that an interrupted import leaves nothing in `$TMPDIR`. It waits for
    /// a file or folder being made (`making`) and keeps anything more from being made: call
    /// it only when the process ends next.
    public static func removeAll() {
        making.lock()
        ending = true
        making.unlock()
        for path in pending.withLock({ p -> Set<String> in defer { p.removeAll() }; return p }) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
