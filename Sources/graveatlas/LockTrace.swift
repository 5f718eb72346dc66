import Foundation
import Store

/// With `GRAVEATLAS_TRACE_LOCKS=1`, reports on stderr, as the command exits, how many of its
/// reads waited for a lock, the longest wait, and the log checkpoints it ran.
///
/// ```
/// $ GRAVEATLAS_TRACE_LOCKS=1 graveatlas query near atlas.gpkg --lon 51.4 --lat 35.6 --radius 500
/// …
/// graveatlas: read waits: 0 (longest 0 ms); checkpoints: 0
/// ```
/// A reader in WAL mode should never wait on a writer: this is how a test (or a user who
/// doubts it) sees that it did not, without timing anything.
enum LockTrace {
    static func install() {
        guard ProcessInfo.processInfo.environment["GRAVEATLAS_TRACE_LOCKS"] == "1" else { return }
        atexit {
            let line = "graveatlas: read waits: \(ReadWaits.count) (longest \(ReadWaits.longestMilliseconds) ms); "
                + "checkpoints: \(WALCheckpoints.completed)\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
