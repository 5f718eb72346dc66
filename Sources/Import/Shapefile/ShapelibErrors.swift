import CShapelib
import Foundation
import Synchronization

/// Catches the messages shapelib reports through its `SAHooks.Error` callback.
///
/// The callback is a plain C function pointer and cannot capture context, so the message
/// goes to a per-thread slot that the reader empties after each call. A reader is used from
/// one thread at a time (its records are read synchronously), which makes the slot its own.
/// The slots are a small table keyed by thread behind a lock (asked once per record, so not
/// Foundation's thread dictionary, which showed in import profiles).
enum ShapelibErrors {
    private static let slots = Mutex<[UInt: String]>([:])

    private static var thread: UInt {
        #if os(Linux)
        UInt(pthread_self())
        #else
        UInt(bitPattern: pthread_self())
        #endif
    }

    /// Hooks with shapelib's default file access and our error callback.
    static func hooks() -> SAHooks {
        var hooks = SAHooks()
        SASetupDefaultHooks(&hooks)
        hooks.Error = { message in
            let text = message.map { String(cString: $0) } ?? "unknown shapelib error"
            let thread = ShapelibErrors.thread
            ShapelibErrors.slots.withLock { slots in
                slots[thread] = slots[thread].map { $0 + "; " + text } ?? text
            }
        }
        return hooks
    }

    /// The messages reported on this thread since the last call, and clears them.
    static func take() -> String? {
        let thread = thread
        return slots.withLock { $0.isEmpty ? nil : $0.removeValue(forKey: thread) }
    }
}
