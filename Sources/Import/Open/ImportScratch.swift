import Foundation
import Synchronization

/// The temporary folders an import is using (extracted zips, staged shapefiles), so that
/// SIGINT and SIGTERM remove them before the process exits.
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

    /// Remembers `folder` as one to remove on interruption.
    static func register(_ folder: URL) { _ = pending.withLock { $0.insert(folder.path) } }

    /// Removes `folder` and forgets it.
    static func remove(_ folder: URL) {
        try? FileManager.default.removeItem(at: folder)
        _ = pending.withLock { $0.remove(folder.path) }
    }

    /// The temporary folders now in use.
    public static var paths: Set<String> { pending.withLock { $0 } }

    /// Removes every temporary folder in use: what a signal handler runs before the process
    /// exits, so that an interrupted import leaves nothing in `$TMPDIR`.
    public static func removeAll() {
        for path in pending.withLock({ p -> Set<String> in defer { p.removeAll() }; return p }) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
