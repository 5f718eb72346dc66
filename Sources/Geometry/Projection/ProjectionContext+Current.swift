extension ProjectionContext {
    private static let perThread = ThreadLocal { ProjectionContext() }

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
        // Making a context cannot throw; `value()` is declared throwing for engines that can.
        (try? perThread.value()) ?? ProjectionContext()
    }
}
