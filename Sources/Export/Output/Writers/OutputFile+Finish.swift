/// How every streaming row writer ends: close the output, then name what was written.
///
/// ```swift
/// public func finish(summary: OutputSummary?) throws -> [String] {
///     try out.write("]\n")
///     return try out.finish()      // ["out.json"], or [] for standard output
/// }
/// ```
/// Standard output (`-`) is no file: nothing is listed for it, so no manifest names it.
extension OutputFile {
    /// Closes the output (see `close()`) and returns the files written: its path, or none.
    func finish() throws -> [String] {
        try close()
        return path == "-" ? [] : [path]
    }
}
