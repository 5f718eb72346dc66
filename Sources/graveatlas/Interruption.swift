import Dispatch
import Export
import Foundation
import Import

/// SIGINT and SIGTERM end the command as they would by default (exit 130 and 143), after
/// removing the partial outputs it was writing (`PartialFiles`) and the temporary folders it
/// was using (`ImportScratch`: an extracted zip, a private copy of a database): an interrupted
/// export leaves the previous file in place and nothing beside it, an interrupted import or
/// read of a database nothing in `$TMPDIR` (and the store as it was: its transaction never
/// committed).
///
/// ```swift
/// Interruption.install()   // first thing in main
/// ```
/// The handlers run on a dispatch queue, not inside the signal, so they may use the file
/// system. SIGKILL cannot be caught: it leaves a hidden `.NAME.partial-…` beside the intact
/// output, or a `graveatlas-zip-…` folder in `$TMPDIR`.
enum Interruption {
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []

    static func install() {
        LockTrace.install()
        for signal in [SIGINT, SIGTERM] {
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler {
                PartialFiles.removeAll()
                ImportScratch.removeAll()
                // `_exit`, not `exit`: the command's own thread is still at work (in PROJ,
                // GEOS or SQLite), and `exit` would run the libraries' static destructors and
                // atexit handlers under it, which can wait forever on a lock that thread holds.
                // The store needs no closing: its transaction never committed.
                _exit(ExitStatus.interrupted(by: signal))
            }
            source.resume()
            sources.append(source)
        }
    }

    /// Gives SIGINT and SIGTERM to a command that stops gracefully by itself (`serve`): the
    /// handlers above no longer exit the process. The signals' disposition is left as dispatch
    /// set it, so that the command's own signal sources receive them.
    static func handOver() {
        for source in sources { source.cancel() }
        sources = []
    }
}
