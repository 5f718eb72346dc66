import CShapelib
import Foundation

/// Catches the messages shapelib reports through its `SAHooks.Error` callback.
///
/// The callback is a plain C function pointer and cannot capture context, so the message
/// goes to a per-thread slot that the reader empties after each call. A reader is used from
/// one thread at a time (its records are read synchronously), which makes the slot its own.
enum ShapelibErrors {
    private static let key = "graveatlas.shapelib.error"

    /// Hooks with shapelib's default file access and our error callback.
    static func hooks() -> SAHooks {
        var hooks = SAHooks()
        SASetupDefaultHooks(&hooks)
        hooks.Error = { message in
            let text = message.map { String(cString: $0) } ?? "unknown shapelib error"
            let slot = Thread.current.threadDictionary
            let previous = slot[ShapelibErrors.key] as? String
            slot[ShapelibErrors.key] = previous.map { $0 + "; " + text } ?? text
        }
        return hooks
    }

    /// The messages reported on this thread since the last call, and clears them.
    static func take() -> String? {
        let slot = Thread.current.threadDictionary
        let text = slot[key] as? String
        slot.removeObject(forKey: key)
        return text
    }
}
