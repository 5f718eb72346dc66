#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProjectionContext {
    /// The calling thread's own context, made on first use and freed when the thread ends.
    ///
    /// ```swift
    /// let utm = try CoordinateReferenceSystem("EPSG:32639")   // parsed in ProjectionContext.current
    /// ```
    /// Use it only for work that finishes before the caller next suspends: a task may resume on
    /// another thread after an `await`, and the context it took would then be the other
    /// thread's. Anything kept across an `await` (a `Transformer`, say) should come from a
    /// context the task made for itself.
    ///
    /// - Complexity: O(1): one thread-specific-data look-up.
    public static var current: ProjectionContext {
        guard let key = ThreadContextKey.key else { return ProjectionContext() }
        if let stored = pthread_getspecific(key) {
            return Unmanaged<ProjectionContext>.fromOpaque(stored).takeUnretainedValue()
        }
        let context = ProjectionContext()
        // The thread's slot holds one retain, released by the key's destructor at thread exit.
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }
}

/// The thread-specific-data key under which each thread keeps its context.
private enum ThreadContextKey {
    /// Nil only when the process has used up its PTHREAD_KEYS_MAX keys; `current` then makes
    /// a fresh context on every call: slower, but never shared.
    static let key: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { stored in
            if let stored = stored as UnsafeMutableRawPointer? {
                Unmanaged<ProjectionContext>.fromOpaque(stored).release()
            }
        }
        return status == 0 ? key : nil
    }()
}
